package io.thingstorm.client.mqtt;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * When pending publishes and connects time out. Things watched with the same timeout fall due in the
 * order they were watched, so a queue per timeout, read from its head, is all the bookkeeping there
 * is: one lock-free append each, instead of a timer scheduled and cancelled in a shared heap. One
 * daemon thread looks every {@link #SWEEP} and times out what is due; a timeout may so come up to
 * that much late.
 *
 * <p>Why: a timer per publish cost a load generator 8 % of its CPU at 100,000 messages a second. A
 * socket's own timeouts are such timers too: on a virtual thread each timed connect or read
 * schedules and cancels a wake-up in the JDK's scheduler, whose thread was woken 3.4 times per MQTTS
 * connect for it.
 */
final class Deadlines {
  static final Duration SWEEP = Duration.ofMillis(20);

  private static final ConcurrentHashMap<Long, Queue<Watched>> BY_TIMEOUT = new ConcurrentHashMap<>();

  static {
    Thread.ofPlatform().daemon().name("thingstorm-deadlines").start(Deadlines::sweepForever);
  }

  /** Something that times out at its deadline unless done before. */
  interface Watched {
    /** When it times out, {@link System#nanoTime()} based: when watched plus its timeout. */
    long deadline();

    boolean isDone();

    /** Called once, from the sweeping thread, when the deadline passed and it was not done. */
    void timeOut();
  }

  private Deadlines() {}

  /** Watches {@code watched}, whose deadline is now plus {@code timeout}, until it is done or due. */
  static void watch(Watched watched, Duration timeout) {
    BY_TIMEOUT.computeIfAbsent(timeout.toNanos(), t -> new ConcurrentLinkedQueue<>()).add(watched);
  }

  private static void sweepForever() {
    while (true) {
      LockSupport.parkNanos(SWEEP.toNanos());
      long now = System.nanoTime();
      for (Queue<Watched> queue : BY_TIMEOUT.values()) sweep(queue, now);
    }
  }

  /** Drops the done from the head and times out the due, up to the first still in time. */
  private static void sweep(Queue<Watched> queue, long now) {
    for (Watched head = queue.peek(); head != null; head = queue.peek()) {
      if (!head.isDone() && head.deadline() - now > 0) return;
      queue.poll();
      if (!head.isDone()) {
        try {
          head.timeOut();
        } catch (RuntimeException e) {
          // One that fails to time out must not stop the sweep for everyone else.
        }
      }
    }
  }
}
