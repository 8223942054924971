package io.thingstorm.client.mqtt;

import io.thingstorm.client.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * MQTT's byte stream in WebSocket binary frames (RFC 6455) over a connection already open: the
 * client's opening handshake, then each flush of {@link #output()} sent as one masked frame, and the
 * frames received read as one stream from {@link #input()}.
 *
 * <p>Why not Paho's own WebSocket module: it starts a platform thread per connection to read the
 * frames and passes each byte through a pipe to Paho's receiver. Here Paho's receiver reads the
 * frames itself, so a device over a WebSocket costs a thread no more than a device over MQTTS.
 */
final class WebSocketStream {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_RESPONSE_HEAD = 16 * 1024;
  private static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final int PONG = 0xA;
  /** Masking keys must be unpredictable (RFC 6455 10.3); drawn in blocks, so that the lock is rare. */
  private static final SecureRandom ENTROPY = new SecureRandom();

  private final InputStream socketIn;
  private final OutputStream socketOut;
  private final Object writing = new Object();
  private final byte[] masks = new byte[1024];
  private int nextMask = masks.length;
  private final FrameInput input = new FrameInput();
  private final FrameOutput output = new FrameOutput();

  private WebSocketStream(InputStream socketIn, OutputStream socketOut) {
    this.socketIn = socketIn;
    this.socketOut = socketOut;
  }

  /** As {@link #open(InputStream, OutputStream, String, int, String)}, for the host, port and path of an {@code mqtt+wss://} URI. */
  static WebSocketStream open(InputStream in, OutputStream out, java.net.URI url) throws IOException {
    return open(in, out, url.getHost(), MqttUris.port(url), MqttUris.webSocketPath(url));
  }

  /**
   * Asks the server at {@code host:port} to turn the connection into a WebSocket for MQTT at {@code
   * pathAndQuery}; an answer other than 101 with the right accept key is an {@link IOException} that
   * says what the server answered.
   */
  static WebSocketStream open(InputStream in, OutputStream out, String host, int port, String pathAndQuery) throws IOException {
    byte[] nonce = new byte[16];
    ENTROPY.nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
        + "Host: " + host + (port == MqttUris.HTTPS_PORT ? "" : ":" + port) + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Protocol: mqtt\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readResponseHead(in);
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new WebSocketUpgradeFailed(FailureKind.PROTOCOL_ERROR, "the server answered the WebSocket upgrade with '" + lines[0] + "', not HTTP");
    }
    if (!status[1].equals("101")) throw WebSocketUpgradeFailed.refused(pathAndQuery, lines[0], status[1]);
    String accept = null;
    String protocol = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon < 0) continue;
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("sec-websocket-accept")) accept = value;
      if (name.equals("sec-websocket-protocol")) protocol = value;
    }
    if (!acceptFor(key).equals(accept)) {
      throw new WebSocketUpgradeFailed(FailureKind.PROTOCOL_ERROR,
          "the server answered the WebSocket upgrade of " + pathAndQuery + " without the right Sec-WebSocket-Accept");
    }
    if (protocol != null && !protocol.equalsIgnoreCase("mqtt")) {
      throw new WebSocketUpgradeFailed(FailureKind.PROTOCOL_ERROR, "the WebSocket server chose the subprotocol '" + protocol + "', not mqtt");
    }
    return new WebSocketStream(in, out);
  }

  /** MQTT's bytes as they arrive, frame headers taken out; end of stream at a close frame. */
  InputStream input() {
    return input;
  }

  /** Each flush goes out as one binary frame. */
  OutputStream output() {
    return output;
  }

  /** Says goodbye with a close frame (1000, normal closure), if the connection still takes it. */
  void close() {
    try {
      sendFrame(CLOSE, new byte[] {0x03, (byte) 0xE8}, 0, 2);
    } catch (IOException gone) {
      // The connection is gone already: nothing to say goodbye on.
    }
  }

  static String acceptFor(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-1", e);
    }
  }

  /** The status line and headers, read byte by byte so that nothing after them is taken. */
  private static String readResponseHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new WebSocketUpgradeFailed(FailureKind.CONNECTION_LOST,
            "the server closed the connection instead of answering the WebSocket upgrade: is it a WebSocket listener?");
      }
      head.write(b);
      if (head.size() > MAX_RESPONSE_HEAD) {
        throw new WebSocketUpgradeFailed(FailureKind.PROTOCOL_ERROR, "the answer to the WebSocket upgrade has no end of headers");
      }
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
          : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private void sendFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + 4 + length];
    frame[0] = (byte) (0x80 | opcode); // FIN: MQTT packets go whole
    if (length < 126) {
      frame[1] = (byte) (0x80 | length);
    } else if (length <= 0xFFFF) {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (length >>> 8);
      frame[3] = (byte) length;
    } else {
      frame[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
    }
    synchronized (writing) {
      if (nextMask == masks.length) {
        ENTROPY.nextBytes(masks);
        nextMask = 0;
      }
      System.arraycopy(masks, nextMask, frame, header, 4);
      nextMask += 4;
      for (int i = 0; i < length; i++) frame[header + 4 + i] = (byte) (payload[offset + i] ^ frame[header + (i & 3)]);
      socketOut.write(frame);
      socketOut.flush();
    }
  }

  private final class FrameInput extends InputStream {
    private long remaining;
    private byte[] mask;
    private int maskIndex;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (remaining == 0) {
        if (ended || !nextDataFrame()) {
          ended = true;
          return -1;
        }
      }
      int n = socketIn.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) throw new EOFException("the connection ended inside a WebSocket frame");
      if (mask != null) {
        for (int i = 0; i < n; i++) b[off + i] ^= mask[maskIndex++ & 3];
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return remaining == 0 ? 0 : (int) Math.min(remaining, socketIn.available());
    }

    /** Reads up to the next frame that carries MQTT's bytes, answering pings; false at a close frame or the end. */
    private boolean nextDataFrame() throws IOException {
      while (true) {
        int first = socketIn.read();
        if (first < 0) return false;
        int second = readByte();
        int opcode = first & 0x0F;
        long length = second & 0x7F;
        if (length == 126) {
          length = (readByte() << 8) | readByte();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
          if (length < 0) throw new IOException("a WebSocket frame longer than 2^63 bytes");
        }
        byte[] frameMask = (second & 0x80) != 0 ? readFully(4) : null;
        switch (opcode) {
          case 0x0, 0x1, BINARY -> { // continuation, text and binary frames all carry MQTT's stream
            remaining = length;
            mask = frameMask;
            maskIndex = 0;
            if (length > 0) return true;
          }
          case CLOSE -> {
            return false;
          }
          case PING -> {
            if (length > 125) throw new IOException("a WebSocket ping of " + length + " bytes (at most 125)");
            byte[] payload = readFully((int) length);
            if (frameMask != null) for (int i = 0; i < payload.length; i++) payload[i] ^= frameMask[i & 3];
            sendFrame(PONG, payload, 0, payload.length);
          }
          case PONG -> skipPayload(length);
          default -> throw new IOException("a WebSocket frame with the unknown opcode " + opcode);
        }
      }
    }

    private int readByte() throws IOException {
      int b = socketIn.read();
      if (b < 0) throw new EOFException("the connection ended inside a WebSocket frame header");
      return b;
    }

    private byte[] readFully(int length) throws IOException {
      byte[] bytes = new byte[length];
      for (int done = 0; done < length; ) {
        int n = socketIn.read(bytes, done, length - done);
        if (n < 0) throw new EOFException("the connection ended inside a WebSocket frame");
        done += n;
      }
      return bytes;
    }

    private void skipPayload(long length) throws IOException {
      for (long left = length; left > 0; ) {
        long n = socketIn.skip(left);
        if (n <= 0) {
          if (socketIn.read() < 0) throw new EOFException("the connection ended inside a WebSocket frame");
          n = 1;
        }
        left -= n;
      }
    }
  }

  private final class FrameOutput extends OutputStream {
    private byte[] buffer = new byte[512];
    private int count;

    @Override
    public void write(int b) {
      ensure(1);
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buffer, count, len);
      count += len;
    }

    private void ensure(int more) {
      if (count + more > buffer.length) buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
    }

    @Override
    public void flush() throws IOException {
      if (count == 0) return;
      int length = count;
      count = 0;
      sendFrame(BINARY, buffer, 0, length);
    }
  }
}
