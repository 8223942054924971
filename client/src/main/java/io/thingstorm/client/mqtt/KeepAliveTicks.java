package io.thingstorm.client.mqtt;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where Paho's ping sender schedules its keep-alive checks: each check is put off to the next tick of
 * a clock that every device shares, one second apart (finer for short keep-alives, at most an eighth
 * of the delay), so that the pings of a fleet go out in bursts, one a tick.
 *
 * <p>Why: 10,000 devices with a 60 s keep-alive ping 167 times a second. Spread evenly, every ping
 * is a lone event that wakes the scheduler, a carrier thread, the sender and the poller from sleep,
 * and those wakes, not the ping, were most of an idle fleet's CPU. Put together, one wake serves a
 * tick's pings. A check runs at most one tick late: a device's keep-alive interval grows by at most
 * that much, well inside the 1.5 times the broker allows. Only the ping sender's schedule moves;
 * everything else goes through as it is.
 */
final class KeepAliveTicks extends ForwardingScheduledExecutor {
  static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Every device's ticks fall on the same instants. */
  private static final long ORIGIN = System.nanoTime();

  KeepAliveTicks(ScheduledExecutorService delegate) {
    super(delegate);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return delegate.schedule(command, onTick(System.nanoTime(), unit.toNanos(delay)), TimeUnit.NANOSECONDS);
  }

  /** The delay from {@code now} to the first tick at or after {@code now + delay}. */
  static long onTick(long now, long delayNanos) {
    long tick = Math.min(TICK_NANOS, delayNanos / 8);
    if (tick <= 0) return delayNanos;
    long due = now - ORIGIN + delayNanos;
    long aligned = Math.ceilDiv(due, tick) * tick;
    return aligned - (now - ORIGIN);
  }
}
