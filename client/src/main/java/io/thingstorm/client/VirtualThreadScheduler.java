package io.thingstorm.client;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs every task on a new virtual thread; delayed tasks wait on one small platform scheduler, then
 * run the same way. Paho's receiver, sender and callback loops run through this, so that ten
 * thousand devices need a dozen platform threads instead of four each.
 */
public final class VirtualThreadScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private static final VirtualThreadScheduler SHARED = new VirtualThreadScheduler("thingstorm-device-");

  private final java.util.concurrent.ThreadFactory threads;
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicBoolean shutdown = new AtomicBoolean();

  public VirtualThreadScheduler(String threadNamePrefix) {
    this.threads = Thread.ofVirtual().name(threadNamePrefix, 0).factory();
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, threadNamePrefix + "timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** One scheduler for the whole JVM: what devices use unless given another. */
  public static VirtualThreadScheduler shared() {
    return SHARED;
  }

  @Override
  public void execute(Runnable command) {
    if (shutdown.get()) throw new java.util.concurrent.RejectedExecutionException("scheduler is shut down");
    threads.newThread(command).start();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return timer.schedule(() -> execute(command), delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    // The callable runs on the timer thread: Paho schedules only Runnables; keep this path short.
    return timer.schedule(callable, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return timer.scheduleAtFixedRate(() -> execute(command), initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return timer.scheduleWithFixedDelay(() -> execute(command), initialDelay, delay, unit);
  }

  /** The shared scheduler ignores shutdown: other devices still use it. */
  @Override
  public void shutdown() {
    if (this == SHARED) return;
    shutdown.set(true);
    timer.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown.get();
  }

  @Override
  public boolean isTerminated() {
    return shutdown.get() && timer.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return timer.awaitTermination(timeout, unit);
  }

}
