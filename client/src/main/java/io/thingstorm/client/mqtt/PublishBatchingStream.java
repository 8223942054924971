package io.thingstorm.client.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS socket's output that holds Paho's flush back while more publishes are on their way to its
 * sender. Paho flushes after every packet, so without this each message is its own TLS record and
 * its own system call: about a fifth of the client's CPU when a device publishes as fast as it can.
 *
 * <p>The transport {@linkplain #announce() announces} a publish before it hands it to Paho, and
 * {@linkplain #withdraw() withdraws} it if Paho refused it. A flush is held back only while an
 * announced publish is still to come; that publish's own flush then sends both. Every flush counts
 * one announcement off, even one that ends a packet nobody announced (PINGREQ, PUBREL): that only
 * flushes earlier, so bytes are never left waiting for a publish that does not come.
 *
 * <p>Paho writes from one thread at a time (its sender), so the buffer needs no lock; the count is
 * shared with the publishing threads.
 */
final class PublishBatchingStream extends OutputStream {
  /** Past this, held bytes are written out even while more are coming: one full TLS record. */
  static final int MOST_HELD = 16 * 1024;
  private static final byte[] NONE = new byte[0];

  private final OutputStream socket;
  private final AtomicInteger coming = new AtomicInteger();
  private byte[] held = NONE;
  private int heldLength;

  PublishBatchingStream(OutputStream socket) {
    this.socket = socket;
  }

  /** A publish is about to be handed to Paho: its flush will come. */
  void announce() {
    coming.incrementAndGet();
  }

  /** An announced publish that Paho refused: its flush will not come. */
  void withdraw() {
    countOne();
  }

  /** Announced publishes whose flush has not come yet. */
  int coming() {
    return coming.get();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    // Another announced publish still to come after this packet: keep it for that one's flush.
    if (heldLength == 0 && coming.get() <= 1) {
      socket.write(bytes, offset, length);
      return;
    }
    if (heldLength + length > MOST_HELD) writeHeld();
    if (length > MOST_HELD) {
      socket.write(bytes, offset, length);
      return;
    }
    if (heldLength + length > held.length) {
      held = java.util.Arrays.copyOf(held, Math.min(MOST_HELD, Math.max(held.length * 2, heldLength + length)));
    }
    System.arraycopy(bytes, offset, held, heldLength, length);
    heldLength += length;
  }

  @Override
  public void flush() throws IOException {
    if (countOne() > 0) return;
    writeHeld();
    // An idle device keeps no buffer: thousands of them would hold 16 KB each.
    held = NONE;
    socket.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      writeHeld();
    } finally {
      socket.close();
    }
  }

  private void writeHeld() throws IOException {
    if (heldLength == 0) return;
    int length = heldLength;
    heldLength = 0;
    socket.write(held, 0, length);
  }

  /** One announcement off, never below none; returns how many remain. */
  private int countOne() {
    return coming.updateAndGet(n -> n > 0 ? n - 1 : 0);
  }
}
