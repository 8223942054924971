package io.thingstorm.client.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.conscrypt.AllocatedBuffer;
import org.conscrypt.BufferAllocator;
import org.conscrypt.Conscrypt;

/**
 * Direct buffers reused from one Conscrypt socket to the next. Left to itself, each Conscrypt
 * socket allocates and zeroes a 16 KB direct buffer when its handshake starts, and its engine
 * another, which the garbage collector frees later: a profile of back-to-back handshakes put a
 * quarter of the worker's samples in making buffers. With the pool, a socket takes its buffers
 * when its handshake starts and gives them back when it closes.
 *
 * <p>For sockets that one thread handshakes, uses and closes, as the handshake storm's workers do.
 * Conscrypt gives a socket's buffer back when it closes, so a socket read after its close could see
 * another connection's buffer; a device whose reading thread may still be inside a read when
 * another thread closes it keeps Conscrypt's own buffers.
 */
public final class ConscryptBufferPool {
  /** Larger requests are allocated as Conscrypt would, and not kept. */
  private static final int LARGEST = 32 * 1024;
  /** At most this many idle buffers per size; enough for a storm's workers. */
  private static final int KEPT_PER_SIZE = 256;

  private final AtomicInteger allocated = new AtomicInteger();
  private final Bucket[] buckets = new Bucket[Integer.numberOfTrailingZeros(LARGEST) + 1];
  private final BufferAllocator allocator = new BufferAllocator() {
    @Override
    public AllocatedBuffer allocateDirectBuffer(int capacity) {
      return take(capacity);
    }
  };

  public ConscryptBufferPool() {
    for (int i = 0; i < buckets.length; i++) buckets[i] = new Bucket(1 << i);
  }

  /**
   * Makes this socket take its buffers from the pool when it is Conscrypt's; other sockets are left
   * as they are. Call before the handshake.
   */
  public SSLSocket applyTo(SSLSocket socket) {
    // The name first: a JDK socket need not load Conscrypt's classes.
    if (socket.getClass().getName().startsWith("org.conscrypt.") && Conscrypt.isConscrypt(socket)) {
      Conscrypt.setBufferAllocator(socket, allocator);
    }
    return socket;
  }

  /** Direct buffers this pool has allocated so far: what it saved is the requests beyond these. */
  int allocated() {
    return allocated.get();
  }

  /** Buffers given back and held for the next socket. */
  int idle() {
    int n = 0;
    for (Bucket b : buckets) n += b.size.get();
    return n;
  }

  private AllocatedBuffer take(int capacity) {
    if (capacity > LARGEST) {
      allocated.incrementAndGet();
      return AllocatedBuffer.wrap(ByteBuffer.allocateDirect(capacity));
    }
    Bucket bucket = buckets[32 - Integer.numberOfLeadingZeros(Math.max(1, capacity) - 1)];
    ByteBuffer buffer = bucket.idle.poll();
    if (buffer != null) {
      bucket.size.decrementAndGet();
    } else {
      buffer = ByteBuffer.allocateDirect(bucket.capacity);
      allocated.incrementAndGet();
    }
    buffer.clear().limit(capacity);
    return new Lent(buffer, bucket);
  }

  private static final class Bucket {
    final int capacity;
    final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    final AtomicInteger size = new AtomicInteger();

    Bucket(int capacity) {
      this.capacity = capacity;
    }
  }

  /** One loan of a buffer; released once, however often Conscrypt calls release. */
  private static final class Lent extends AllocatedBuffer {
    private final ByteBuffer buffer;
    private final Bucket bucket;
    private final AtomicBoolean released = new AtomicBoolean();

    Lent(ByteBuffer buffer, Bucket bucket) {
      this.buffer = buffer;
      this.bucket = bucket;
    }

    @Override
    public ByteBuffer nioBuffer() {
      return buffer;
    }

    @Override
    public AllocatedBuffer release() {
      if (!released.compareAndSet(false, true)) return this;
      if (bucket.size.incrementAndGet() <= KEPT_PER_SIZE) bucket.idle.offer(buffer);
      else bucket.size.decrementAndGet();
      return this;
    }
  }
}
