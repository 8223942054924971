package io.thingstorm.loadgen.run;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;

/**
 * The open workload model: event n is due at {@code start + dueNanos(n)} whatever earlier events
 * are doing. One thread sleeps until each due time and starts the event: a blocking {@link Event}
 * on a virtual thread of its own, a {@link Starting} one on the schedule's thread (it returns at
 * once and says when it is done). At most {@code maxInFlight} are under way at once. When that
 * bound is reached, or the thread wakes late, the event starts after its due time: the difference
 * is the generator's lag, handed to the event so that it is recorded, and latencies keep counting
 * from the due time.
 */
public final class ArrivalSchedule {
  /** One event: its number, when it was due and how late it started (both System.nanoTime based). */
  @FunctionalInterface
  public interface Event {
    void run(long n, long dueNanoTime, long lagNanos);
  }

  /**
   * An event that starts its work and returns without waiting for it (a publish handed to the MQTT
   * client's queue), and runs {@code done} exactly once when that work has ended, from any thread.
   * Starting it costs no thread, so that a schedule can keep tens of thousands under way.
   */
  @FunctionalInterface
  public interface Starting {
    void start(long n, long dueNanoTime, long lagNanos, Runnable done);
  }

  /** What a schedule did: events started, and whether it was cut short by a stop. */
  public record Outcome(long started, long planned, boolean stopped, Duration took) {}

  private final long events;
  private final LongUnaryOperator dueNanos;
  private final int maxInFlight;

  /**
   * @param events how many events
   * @param dueNanos event n's due time in nanoseconds after the start
   * @param maxInFlight events running at once at most
   */
  public ArrivalSchedule(long events, LongUnaryOperator dueNanos, int maxInFlight) {
    if (maxInFlight < 1) throw new IllegalArgumentException("at least one event must be allowed in flight");
    this.events = events;
    this.dueNanos = dueNanos;
    this.maxInFlight = maxInFlight;
  }

  /** How many to keep in flight to hold {@code rate}/s when each takes {@code typical}; at least {@code floor}. */
  public static int inFlightFor(double rate, Duration typical, int floor, int ceiling) {
    double needed = Math.ceil(rate * typical.toNanos() / 1e9);
    return (int) Math.max(floor, Math.min(ceiling, needed));
  }

  /**
   * Runs the schedule on the calling thread from now, each event on a virtual thread of its own,
   * then waits up to {@code drain} for the events still running. {@code stopped} is polled between
   * events and while sleeping.
   */
  public Outcome run(Event event, BooleanSupplier stopped, Duration drain) {
    return run((n, due, lag, done) -> Thread.ofVirtual().name("thingstorm-event-", n).start(() -> {
      try {
        event.run(n, due, lag);
      } finally {
        done.run();
      }
    }), stopped, drain);
  }

  /** As {@link #run(Event, BooleanSupplier, Duration)}, with events that start on this thread and end later. */
  public Outcome run(Starting event, BooleanSupplier stopped, Duration drain) {
    Semaphore slots = new Semaphore(maxInFlight);
    long start = System.nanoTime();
    long n = 0;
    boolean cut = false;
    for (; n < events; n++) {
      long due = start + dueNanos.applyAsLong(n);
      if (!sleepUntil(due, stopped)) {
        cut = true;
        break;
      }
      try {
        while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          if (stopped.getAsBoolean()) break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cut = true;
        break;
      }
      if (stopped.getAsBoolean()) {
        cut = true;
        break;
      }
      long lag = Math.max(0, System.nanoTime() - due);
      try {
        event.start(n, due, lag, slots::release);
      } catch (RuntimeException | Error e) {
        slots.release();
        throw e;
      }
    }
    awaitAll(slots, drain);
    return new Outcome(n, events, cut, Duration.ofNanos(System.nanoTime() - start));
  }

  private void awaitAll(Semaphore slots, Duration drain) {
    try {
      if (slots.tryAcquire(maxInFlight, drain.toNanos(), TimeUnit.NANOSECONDS)) slots.release(maxInFlight);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sleeps until {@code due} (System.nanoTime); false when stopped first. */
  static boolean sleepUntil(long due, BooleanSupplier stopped) {
    while (true) {
      if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) return false;
      long left = due - System.nanoTime();
      if (left <= 0) return true;
      LockSupport.parkNanos(Math.min(left, 50_000_000L)); // wake at least every 50 ms to see a stop
    }
  }
}
