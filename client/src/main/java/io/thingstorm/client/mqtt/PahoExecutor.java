package io.thingstorm.client.mqtt;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Paho client's tasks on the device's executor, and knows whether Paho's connect task is
 * still running. A forced disconnect while that task starts Paho's receiver leaves the task waiting
 * forever for a receiver that has already stopped (Paho 1.2.5, v3 and v5): a thread lost per timed-out
 * connect. So a transport gives up on a connect only once that task has run its course, and the
 * socket's input holds a read failure back until then ({@link AfterConnectTaskInput}).
 */
final class PahoExecutor extends ForwardingScheduledExecutor {
  private static final String CONNECT_TASK = "ClientComms$ConnectBG";

  private final Object lock = new Object();
  private int connecting;

  PahoExecutor(ScheduledExecutorService delegate) {
    super(delegate);
  }

  @Override
  public void execute(Runnable task) {
    if (!task.getClass().getName().endsWith(CONNECT_TASK)) {
      delegate.execute(task);
      return;
    }
    synchronized (lock) {
      connecting++;
    }
    try {
      delegate.execute(() -> {
        try {
          task.run();
        } finally {
          connectTaskEnded();
        }
      });
    } catch (RuntimeException e) {
      connectTaskEnded();
      throw e;
    }
  }

  private void connectTaskEnded() {
    synchronized (lock) {
      connecting--;
      lock.notifyAll();
    }
  }

  /** Waits until no connect task runs; false if one still does after {@code timeout}. */
  boolean awaitConnectTask(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (connecting > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }
}
