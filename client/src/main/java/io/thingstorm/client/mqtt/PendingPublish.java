package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One publish handed to Paho and not yet acknowledged: completed by Paho's action listener, failed
 * with a {@link DeviceException} when the acknowledgement does not come within the ack timeout
 * (see {@link Deadlines}). Nothing waits on it unless a caller wants to: a load generator keeps
 * thousands of these with no thread each.
 */
final class PendingPublish extends CompletableFuture<Void> implements Deadlines.Watched {
  private final long deadline;
  private final Duration ackTimeout;

  PendingPublish(Duration ackTimeout) {
    this.ackTimeout = ackTimeout;
    this.deadline = System.nanoTime() + ackTimeout.toNanos();
    Deadlines.watch(this, ackTimeout);
  }

  /** Acknowledged (QoS 0: written). */
  void succeed() {
    complete(null);
  }

  void fail(RuntimeException failure) {
    completeExceptionally(failure);
  }

  @Override
  public long deadline() {
    return deadline;
  }

  @Override
  public void timeOut() {
    fail(new DeviceException(FailureKind.TIMEOUT, "no acknowledgement within " + ackTimeout.toMillis() + " ms"));
  }
}
