package io.thingstorm.client.tls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * Gives back memory that the JDK's TLS socket keeps for the connection's whole life but a device
 * needs only now and then. Each JDK socket holds a 4 KB buffer of decrypted data and a 1 KB record
 * buffer, both sized for the handshake and grown when a bigger record comes; and it keeps a copy of
 * every handshake message received after its handshake ended (a TLS 1.3 server's session tickets,
 * about 700 bytes each, two from OpenSSL), which nothing reads again. Across a fleet of thousands of
 * mostly idle devices that is about 6 KB a device, a fifth of its heap.
 *
 * <p>The socket's input stream is wrapped: when the device is about to wait for the network, having
 * read everything received so far, the handshake's leftover messages are dropped, and once (after
 * the first application data, by which time a server has sent its tickets) both buffers are swapped
 * for small ones that grow again as the JDK needs. This reaches into {@code sun.security.ssl} and so
 * works only where {@code java.base} opens that package to thingstorm (the {@code thingstorm.jar}'s
 * manifest does; elsewhere {@code --add-opens java.base/sun.security.ssl=ALL-UNNAMED}). If it is not
 * open, or the JDK's fields are not the ones known here, sockets are left as they are.
 */
public final class JsseSocketTrim {
  /** Capacity of the buffers given in place of the JDK's; they grow to a bigger record on demand. */
  static final int SMALL = 64;

  private static final Handles HANDLES = Handles.find();

  private JsseSocketTrim() {}

  /** Whether the JDK's socket internals could be reached, so that sockets are trimmed. */
  public static boolean isAvailable() {
    return HANDLES != null;
  }

  /**
   * The socket's input stream, trimming the socket as it goes when it is a JDK socket and the JDK's
   * internals are open; otherwise the socket's own stream.
   */
  public static InputStream input(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    if (HANDLES == null || socket.getClass() != HANDLES.socketClass) return in;
    return new TrimmingInput(in, socket);
  }

  /** Capacities of the socket's read buffers and the number of kept handshake messages; for tests. */
  static int[] held(SSLSocket socket) {
    Handles h = HANDLES;
    Object appInput = h.appInput.get(socket);
    Object context = h.conContext.get(socket);
    Object record = h.inputRecord.get(context);
    List<?> reserves = (List<?>) h.reserves.get(h.handshakeHash.get(record));
    return new int[] {
      ((ByteBuffer) h.appBuffer.get(appInput)).capacity(),
      ((ByteBuffer) h.recordBody.get(record)).capacity(),
      reserves.size()
    };
  }

  private static final class TrimmingInput extends FilterInputStream {
    private final Object socket;
    private boolean sawData;
    private boolean buffersTrimmed;

    TrimmingInput(InputStream in, SSLSocket socket) {
      super(in);
      this.socket = socket;
    }

    @Override
    public int read() throws IOException {
      if (in.available() == 0) trim();
      int b = in.read();
      if (b >= 0) sawData = true;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (in.available() == 0) trim();
      int n = in.read(b, off, len);
      if (n > 0) sawData = true;
      return n;
    }

    /** On the reading thread, between reads: nothing of the JDK's is half-read. */
    private void trim() {
      try {
        HANDLES.trim(socket, sawData && !buffersTrimmed);
        if (sawData) buffersTrimmed = true;
      } catch (RuntimeException | LinkageError unexpected) {
        // The JDK's internals are not what they were: leave this socket as it is.
        buffersTrimmed = true;
      }
    }
  }

  /** The JDK's fields, looked up once; null when they cannot be reached. */
  private record Handles(
      Class<?> socketClass,
      VarHandle conContext,
      VarHandle appInput,
      VarHandle appBuffer,
      VarHandle readLock,
      VarHandle inputRecord,
      VarHandle handshakeContext,
      VarHandle negotiated,
      VarHandle recordBody,
      VarHandle headerOff,
      VarHandle handshakeHash,
      VarHandle reserves) {

    static Handles find() {
      try {
        Class<?> socket = Class.forName("sun.security.ssl.SSLSocketImpl");
        Class<?> appInput = Class.forName("sun.security.ssl.SSLSocketImpl$AppInputStream");
        Class<?> context = Class.forName("sun.security.ssl.TransportContext");
        Class<?> inputRecord = Class.forName("sun.security.ssl.InputRecord");
        Class<?> socketRecord = Class.forName("sun.security.ssl.SSLSocketInputRecord");
        Class<?> hash = Class.forName("sun.security.ssl.HandshakeHash");
        Class<?> handshake = Class.forName("sun.security.ssl.HandshakeContext");
        return new Handles(
            socket,
            field(socket, "conContext", context),
            field(socket, "appInput", appInput),
            field(appInput, "buffer", ByteBuffer.class),
            field(appInput, "readLock", ReentrantLock.class),
            field(context, "inputRecord", inputRecord),
            field(context, "handshakeContext", handshake),
            field(context, "isNegotiated", boolean.class),
            field(socketRecord, "recordBody", ByteBuffer.class),
            field(socketRecord, "headerOff", int.class),
            field(inputRecord, "handshakeHash", hash),
            field(hash, "reserves", java.util.LinkedList.class));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError closed) {
        // IllegalAccessException when java.base does not open sun.security.ssl: the usual case
        // for a library on another application's class path.
        return null;
      }
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
    }

    void trim(Object socket, boolean buffers) {
      Object context = conContext.get(socket);
      // Only once the handshake is over: until then the kept messages are its transcript.
      if (!(boolean) negotiated.get(context) || handshakeContext.get(context) != null) return;
      Object input = appInput.get(socket);
      ReentrantLock lock = (ReentrantLock) readLock.get(input);
      if (!lock.tryLock()) return; // being closed
      try {
        Object record = inputRecord.get(context);
        List<?> kept = (List<?>) reserves.get(handshakeHash.get(record));
        if (!kept.isEmpty()) kept.clear();
        if (!buffers) return;
        ByteBuffer data = (ByteBuffer) appBuffer.get(input);
        // The caller saw nothing left to read, so the buffer holds nothing; the new one is empty as
        // the JDK leaves a buffer it has read out (it clears one before each record).
        if (data.capacity() > SMALL) appBuffer.set(input, ByteBuffer.allocate(SMALL).limit(0));
        ByteBuffer body = (ByteBuffer) recordBody.get(record);
        if (body.capacity() > SMALL && body.position() == 0 && (int) headerOff.get(record) == 0) {
          recordBody.set(record, ByteBuffer.allocate(SMALL));
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
