package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One publish handed to Paho and not yet acknowledged: completed by Paho's action listener, failed
 * with a {@link DeviceException} when the acknowledgement does not come within the ack timeout.
 * Nothing waits on it unless a caller wants to: a load generator keeps thousands of these with no
 * thread each.
 */
final class PendingPublish extends CompletableFuture<Void> {
  /*
   * One timer for every pending publish of the JVM. Timers are cancelled, and removed, as soon as
   * their publish completes, so the queue holds only what is in flight.
   */
  private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

  private final ScheduledFuture<?> timer;

  PendingPublish(Duration ackTimeout) {
    this.timer = TIMEOUTS.schedule(
        () -> fail(new DeviceException(FailureKind.TIMEOUT, "no acknowledgement within " + ackTimeout.toMillis() + " ms")),
        ackTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Acknowledged (QoS 0: written). */
  void succeed() {
    timer.cancel(false);
    complete(null);
  }

  void fail(RuntimeException failure) {
    timer.cancel(false);
    completeExceptionally(failure);
  }

  /** Waits for the outcome and throws the failure as it is (not wrapped), as a blocking publish does. */
  static void await(CompletableFuture<Void> outcome) {
    try {
      outcome.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) throw failure;
      throw e;
    }
  }

  private static ScheduledThreadPoolExecutor timeouts() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "thingstorm-publish-timeouts");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
