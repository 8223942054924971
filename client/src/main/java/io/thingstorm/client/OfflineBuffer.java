package io.thingstorm.client;

import java.util.ArrayDeque;

/** Messages kept while offline, at most {@code capacity}; when full the oldest goes, and is counted. */
final class OfflineBuffer {
  record Message(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {}

  private final int capacity;
  private final ArrayDeque<Message> messages = new ArrayDeque<>();
  private long dropped;

  OfflineBuffer(int capacity) {
    if (capacity < 0) throw new IllegalArgumentException("the offline buffer holds 0 or more messages");
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  synchronized void add(Message message) {
    if (capacity == 0) return;
    if (messages.size() == capacity) {
      messages.removeFirst();
      dropped++;
    }
    messages.addLast(message);
  }

  synchronized Message peek() {
    return messages.peekFirst();
  }

  /** Removes the head if it is still this message (it may have been dropped meanwhile). */
  synchronized void remove(Message message) {
    if (messages.peekFirst() == message) messages.removeFirst();
  }

  synchronized int size() {
    return messages.size();
  }

  synchronized boolean isEmpty() {
    return messages.isEmpty();
  }

  synchronized long dropped() {
    return dropped;
  }
}
