package io.thingstorm.client.mqtt;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * When pending publishes time out. Publishes with the same ack timeout fall due in the order they
 * were handed over, so a queue per timeout, read from its head, is all the bookkeeping there is:
 * one lock-free append per publish, instead of a timer scheduled and cancelled in a shared heap
 * (which cost a load generator 8 % of its CPU at 100,000 messages a second). One daemon thread
 * looks every {@link #SWEEP} and fails what is due; a timeout may so come up to that much late.
 */
final class AckDeadlines {
  static final Duration SWEEP = Duration.ofMillis(20);

  private static final ConcurrentHashMap<Long, Queue<PendingPublish>> BY_TIMEOUT = new ConcurrentHashMap<>();

  static {
    Thread.ofPlatform().daemon().name("thingstorm-ack-deadlines").start(AckDeadlines::sweepForever);
  }

  private AckDeadlines() {}

  /** Watches {@code publish}, handed over now, until it completes or its deadline passes. */
  static void watch(PendingPublish publish, Duration timeout) {
    BY_TIMEOUT.computeIfAbsent(timeout.toNanos(), t -> new ConcurrentLinkedQueue<>()).add(publish);
  }

  private static void sweepForever() {
    while (true) {
      LockSupport.parkNanos(SWEEP.toNanos());
      long now = System.nanoTime();
      for (Queue<PendingPublish> queue : BY_TIMEOUT.values()) sweep(queue, now);
    }
  }

  /** Drops completed publishes from the head and fails the due ones, up to the first still in time. */
  private static void sweep(Queue<PendingPublish> queue, long now) {
    for (PendingPublish head = queue.peek(); head != null; head = queue.peek()) {
      if (!head.isDone() && head.deadline() - now > 0) return;
      queue.poll();
      if (!head.isDone()) head.timeOut();
    }
  }
}
