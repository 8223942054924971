package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The publishes one transport has handed to Paho and not yet heard the end of. Paho sends a queued
 * publish only while fewer than its in-flight window are out, frees a place only when an
 * acknowledgement comes, and refuses a publish outright (32202) if the window is full when it is
 * handed over.
 *
 * <p>Two uses. A blocking publish {@linkplain #awaitPlace waits} here for a place instead of being
 * refused. And only a publish {@linkplain #enter within the window} is announced to
 * {@link PublishBatchingStream}: one queued behind a full window would hold back the flush that
 * carries the very publishes whose acknowledgements would free it, until the ack timeout.
 *
 * <p>Counted from hand-over to Paho's action listener, which Paho calls after freeing its own place,
 * this count is never below Paho's, so a publish inside it is one Paho sends at once.
 */
final class PublishWindow {
  private final AtomicInteger open = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private volatile int waiting;
  private final Leaving leaving = new Leaving();

  /** Takes a place without waiting; true if it is within {@code size}. */
  boolean enter(int size) {
    return open.incrementAndGet() <= size;
  }

  /**
   * Takes a place within {@code size}, waiting up to {@code patience} for one.
   *
   * @throws DeviceException a timeout if no place came, closed if the thread was interrupted
   */
  void awaitPlace(int size, Duration patience) {
    if (tryPlace(size)) return;
    long nanos = patience.toNanos();
    lock.lock();
    waiting++;
    try {
      while (!tryPlace(size)) {
        if (nanos <= 0) {
          throw new DeviceException(FailureKind.TIMEOUT,
              "all " + size + " in-flight publishes stayed unacknowledged for " + patience.toMillis() + " ms");
        }
        nanos = freed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceException(FailureKind.CLOSED, "interrupted while waiting to publish", e);
    } finally {
      waiting--;
      lock.unlock();
    }
  }

  /** Paho is done with a publish that entered: acknowledged, refused, failed or never taken. */
  void leave() {
    open.decrementAndGet();
    // Only a blocking publish waits; the load generator's many devices never take the lock here.
    if (waiting > 0) {
      lock.lock();
      try {
        freed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Paho's action listener (v3 and v5) for a publish that only has to leave the window when done. */
  Leaving leaving() {
    return leaving;
  }

  /** Publishes handed over and not yet finished. */
  int open() {
    return open.get();
  }

  private boolean tryPlace(int size) {
    for (int n = open.get(); n < size; n = open.get()) {
      if (open.compareAndSet(n, n + 1)) return true;
    }
    return false;
  }

  final class Leaving implements org.eclipse.paho.client.mqttv3.IMqttActionListener,
      org.eclipse.paho.mqttv5.client.MqttActionListener {
    @Override
    public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
      leave();
    }

    @Override
    public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable failure) {
      leave();
    }

    @Override
    public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
      leave();
    }

    @Override
    public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable failure) {
      leave();
    }
  }
}
