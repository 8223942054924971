package io.thingstorm.loadgen.scenario;

import java.time.Duration;

/**
 * When the events of a phase are due, for the open workload model: the engine sends event n at
 * {@code phaseStart + dueNanos(n)} however long earlier events took, and measures latency from that
 * due time. The rate is constant or ramps linearly from {@link #from()} to {@link #to()} over the
 * phase's length; event n is due when the integral of the rate reaches n, so the number of events in
 * [0, t) is the integral over [0, t), rounded up.
 *
 * <p>A shard's schedule takes every {@code count}-th event of the whole schedule, starting at its
 * index: the shards' due times together are exactly the whole schedule's, and each shard sees
 * 1/count of the rate.
 *
 * @param from events per second at the start, for the whole scenario (all shards)
 * @param to events per second at the end of the ramp; equal to {@code from} when constant
 * @param lengthNanos the phase's length; the ramp spans it
 * @param totalEvents events in the whole schedule (all shards)
 * @param shard which events of the whole schedule this one runs
 */
public record RateSchedule(double from, double to, long lengthNanos, long totalEvents, Shard shard) {
  public RateSchedule {
    boolean immediate = from == Double.POSITIVE_INFINITY && to == Double.POSITIVE_INFINITY && lengthNanos == 0;
    if (!immediate && !(from > 0 && to > 0 && Double.isFinite(from) && Double.isFinite(to))) {
      throw new IllegalArgumentException("rates must be positive and finite, not " + from + " and " + to);
    }
    if (lengthNanos < 0 || totalEvents < 0) throw new IllegalArgumentException("negative length or count");
  }

  /** {@code rate} events/s for {@code length}; as many events as fit, the last one due before the end. */
  public static RateSchedule constant(double rate, Duration length) {
    return ramp(rate, rate, length);
  }

  /** From {@code from} to {@code to} events/s, linearly over {@code length}. */
  public static RateSchedule ramp(double from, double to, Duration length) {
    long nanos = length.toNanos();
    double integral = (from + to) / 2 * nanos / 1e9;
    return new RateSchedule(from, to, nanos, ceilAllowingRoundingError(integral), Shard.WHOLE);
  }

  /** Exactly {@code events} events, the rate ramping from {@code from} to {@code to} over the time they take. */
  public static RateSchedule forEvents(double from, double to, long events) {
    if (!(from > 0 && to > 0)) throw new IllegalArgumentException("rates must be positive, not " + from + " and " + to);
    double seconds = 2.0 * events / (from + to);
    return new RateSchedule(from, to, Math.round(seconds * 1e9), events, Shard.WHOLE);
  }

  /** {@code events} events, all due at once (a disconnect without a rate). */
  public static RateSchedule immediate(long events) {
    return new RateSchedule(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, events, Shard.WHOLE);
  }

  /** This schedule's share for {@code shard}: its events {@code index, index + count, ...}. */
  public RateSchedule forShard(Shard shard) {
    if (!this.shard.isWhole()) throw new IllegalStateException("schedule is a shard already: " + this.shard);
    return new RateSchedule(from, to, lengthNanos, totalEvents, shard);
  }

  public boolean isImmediate() {
    return lengthNanos == 0 && from == Double.POSITIVE_INFINITY;
  }

  public boolean isRamped() {
    return from != to;
  }

  /** Events this shard runs. */
  public long events() {
    return shard.share(totalEvents);
  }

  public Duration length() {
    return Duration.ofNanos(lengthNanos);
  }

  /** This shard's rate, events/s, at {@code nanos} after the phase start; the final rate after the ramp. */
  public double rateAt(long nanos) {
    if (isImmediate()) return Double.POSITIVE_INFINITY;
    double whole = nanos >= lengthNanos ? to : from + (to - from) * nanos / lengthNanos;
    return whole / shard.count();
  }

  /** Events the whole schedule (all shards) expects in [0, nanos): the rate's integral. */
  public double integral(long nanos) {
    if (isImmediate()) return totalEvents;
    double t = nanos / 1e9;
    double d = lengthNanos / 1e9;
    if (nanos <= lengthNanos) return from * t + (to - from) * t * t / (2 * d);
    return (from + to) / 2 * d + to * (t - d);
  }

  /**
   * When this shard's {@code n}-th event (0-based) is due, in nanoseconds after the phase start,
   * rounded to the nanosecond; its index in the whole schedule is {@code shard.index + n * shard.count}.
   */
  public long dueNanos(long n) {
    if (n < 0) throw new IllegalArgumentException("event index cannot be negative: " + n);
    if (isImmediate()) return 0;
    return Math.round(wholeDueSeconds(shard.global(n)) * 1e9);
  }

  /** Solves integral(t) = k for t in seconds. */
  private double wholeDueSeconds(long k) {
    double d = lengthNanos / 1e9;
    if (from == to || d == 0) return k / from;
    double rampEvents = (from + to) / 2 * d;
    if (k > rampEvents) return d + (k - rampEvents) / to;
    // from*t + slope*t^2 = k with slope = (to - from) / (2d); this form of the root stays exact
    // when the slope is tiny or negative (a ramp down).
    double slope = (to - from) / (2 * d);
    return 2.0 * k / (from + Math.sqrt(from * from + 4 * slope * k));
  }

  /** Rounds up, but takes 3999.9999999 and 4000.0000001 as the 4000 that they are. */
  private static long ceilAllowingRoundingError(double x) {
    double nearest = Math.rint(x);
    if (Math.abs(x - nearest) < 1e-6) return (long) nearest;
    return (long) Math.ceil(x);
  }

  @Override
  public String toString() {
    if (isImmediate()) return totalEvents + " at once";
    String rate = isRamped() ? from + " to " + to + "/s" : from + "/s";
    return rate + " for " + length() + ", " + totalEvents + " events" + (shard.isWhole() ? "" : ", shard " + shard);
  }
}
