package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One publish handed to Paho and not yet acknowledged: completed by Paho's action listener, failed
 * with a {@link DeviceException} when the acknowledgement does not come within the ack timeout
 * (see {@link AckDeadlines}). Nothing waits on it unless a caller wants to: a load generator keeps
 * thousands of these with no thread each.
 */
final class PendingPublish extends CompletableFuture<Void> {
  private final long deadline;
  private final Duration ackTimeout;

  PendingPublish(Duration ackTimeout) {
    this.ackTimeout = ackTimeout;
    this.deadline = System.nanoTime() + ackTimeout.toNanos();
    AckDeadlines.watch(this, ackTimeout);
  }

  /** Acknowledged (QoS 0: written). */
  void succeed() {
    complete(null);
  }

  void fail(RuntimeException failure) {
    completeExceptionally(failure);
  }

  /** When it times out, System.nanoTime based. */
  long deadline() {
    return deadline;
  }

  void timeOut() {
    fail(new DeviceException(FailureKind.TIMEOUT, "no acknowledgement within " + ackTimeout.toMillis() + " ms"));
  }
}
