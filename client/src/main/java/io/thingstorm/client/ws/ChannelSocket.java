package io.thingstorm.client.ws;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import io.thingstorm.client.MessageListener;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.BoundSocketFactory;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import io.thingstorm.client.tls.ThingTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.jsse.BCSSLSocket;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;

/** One WebSocket to one channel path; remembers why it closed, as a failure kind. */
final class ChannelSocket extends WebSocketClient {
  private static final Pattern STATUS = Pattern.compile("Invalid status code received: (\\d+)");

  private final String path;
  private final boolean verifyHostname;
  private final ThingTls tls;
  private final Consumer<DeviceException> onLost;
  private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Exception error;
  private volatile int closeCode;
  private volatile String closeReason;
  private volatile boolean opened;
  private volatile boolean shutting;
  /** When the socket first failed or closed (System.nanoTime), 0 while it has not. */
  private volatile long endedAt;
  /** Counted down by the next pong, or by the close; see {@link #confirm}. */
  private volatile CountDownLatch pong;
  private volatile ByteBuffer pongToken;
  private final int keepAliveSeconds;
  private final ScheduledExecutorService executor;
  /** When the last pong came (System.nanoTime), or when the socket opened. */
  private volatile long lastPong;
  private volatile ScheduledFuture<?> keepAlive;
  /** Set when no pong came in time: the failure the close is reported as. */
  private volatile DeviceException unanswered;

  ChannelSocket(URI uri, String path, TransportConfig config, Consumer<DeviceException> onLost) {
    super(uri);
    this.path = path;
    this.onLost = onLost;
    this.verifyHostname = config.tls().settings().verifyHostname();
    this.tls = config.tls();
    setSocketFactory(ForwardingSslSocketFactory.namingHost(
        BoundSocketFactory.of(config.tls().socketFactoryWithoutEndpointCheck(), config.localAddress()), uri.getHost()));
    // Java-WebSocket's own lost-connection check takes a platform thread per socket; see keepAlive().
    setConnectionLostTimeout(0);
    this.keepAliveSeconds = config.keepAliveSeconds();
    this.executor = config.executor();
  }

  String path() {
    return path;
  }

  /**
   * Java-WebSocket's connect() starts a platform thread that connects and then reads for the
   * socket's life; here that same loop (run()) goes on a virtual thread, since a fleet holds
   * thousands of sockets. Its writer stays a platform thread: Java-WebSocket starts it itself. A
   * socket is opened once ({@link WssTransport} makes a new one to reconnect).
   */
  @Override
  public void connect() {
    Thread.ofVirtual().name("wss-read-" + path).start(this);
  }

  void open(Duration timeout) {
    boolean open;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      open = connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceException(FailureKind.TIMEOUT, "interrupted while opening the WebSocket", e);
    }
    if (!open) {
      // On a timeout Java-WebSocket closes the socket itself, which then reports an error of its own
      // ("Remote host terminated the handshake"): what ended after the deadline is a timeout.
      long ended = endedAt;
      boolean timedOut = ended == 0 || ended - deadline >= 0;
      DeviceException failure = timedOut
          ? new DeviceException(FailureKind.TIMEOUT, "no WebSocket handshake within " + timeout.toMillis() + " ms") : failure();
      if (failure.kind() == FailureKind.CONNECTION_LOST || failure.kind() == FailureKind.WS_CLOSED) {
        // A TLS 1.3 certificate alert may have been lost to a reset: ask the server again.
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        failure = tls.diagnoseRefusal(uri.getHost(), port, timeout).orElse(failure);
      }
      if (failure.kind() == FailureKind.WS_CLOSED && droppedBeforeUpgrade()) {
        // Never opened and no HTTP answer: the connection itself went (a JSSE server's reset can
        // overtake its certificate alert), which is what MQTT and HTTPS report for the same refusal.
        failure = new DeviceException(FailureKind.CONNECTION_LOST,
            "the connection closed before the WebSocket opened (close code " + closeCode + ")");
      }
      close();
      throw failure;
    }
  }

  /** Java-WebSocket's codes for a socket that never connected or was cut without a close frame. */
  private boolean droppedBeforeUpgrade() {
    return closeCode == -1 || closeCode == -2 || closeCode == 1006;
  }

  void listen(MessageListener listener) {
    listeners.add(listener);
  }

  /** Waits until the frames left the client's queue; fails if the socket closed meanwhile. */
  void awaitFlushed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (hasBufferedData() && isOpen() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeviceException(FailureKind.TIMEOUT, "interrupted while sending", e);
      }
    }
    if (!isOpen()) throw failure();
    if (hasBufferedData()) throw new DeviceException(FailureKind.TIMEOUT, "the frame was not sent within " + timeout.toMillis() + " ms");
  }

  /** Why the socket is not open: its TLS or network error, an HTTP refusal, or its close code. */
  DeviceException failure() {
    DeviceException silent = unanswered;
    if (silent != null) return silent;
    Exception e = error;
    String reason = closeReason == null ? "" : closeReason;
    Matcher status = STATUS.matcher(reason + " " + (e == null ? "" : String.valueOf(e.getMessage())));
    if (status.find()) {
      int code = Integer.parseInt(status.group(1));
      String detail = "WebSocket upgrade answered HTTP " + code;
      return switch (code) {
        case 401 -> new DeviceException(FailureKind.HTTP_UNAUTHORIZED, detail);
        case 403 -> new DeviceException(FailureKind.HTTP_FORBIDDEN, detail);
        case 400 -> new DeviceException(FailureKind.BAD_CERTIFICATE, detail + " (nginx answers a refused client certificate so)");
        default -> new DeviceException(FailureKind.HTTP_ERROR, detail);
      };
    }
    if (e != null) {
      DeviceException classified = Failures.classify(e);
      if (classified.kind() != FailureKind.UNKNOWN) return classified;
    }
    if (closeCode != 0) {
      return new DeviceException(FailureKind.WS_CLOSED, "close code " + closeCode + meaning(closeCode)
          + (reason.isBlank() ? "" : ": " + reason));
    }
    return new DeviceException(FailureKind.WS_CLOSED, "the WebSocket is not open");
  }

  /** RFC 6455's names for the codes a platform closes with when it refuses something. */
  private static String meaning(int code) {
    return switch (code) {
      case 1006 -> ", closed without a close frame";
      case 1008 -> ", policy violation";
      case 1009 -> ", message too big";
      case 1011 -> ", server error";
      default -> "";
    };
  }

  void shut() {
    shutting = true;
    try {
      closeBlocking();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Pings and waits for the pong: null when it came, else why not. A platform reads frames in order
   * and answers a ping only after the frames before it, so a pong says it took them; one it refused
   * (too large: 1009) closes the socket instead. Java-WebSocket cannot tell this from the close
   * handshake, as its reader stops at the close it sends.
   */
  DeviceException confirm(Duration timeout) {
    CountDownLatch answered = new CountDownLatch(1);
    // A payload of its own, so that the pong of a keep-alive ping sent before the frames is not taken for it.
    ByteBuffer token = ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime());
    pongToken = token;
    pong = answered;
    try {
      if (isOpen()) {
        PingFrame ping = new PingFrame();
        ping.setPayload(token.duplicate());
        sendFrame(ping);
      }
      if (!answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new DeviceException(FailureKind.TIMEOUT, "no answer to a WebSocket ping within " + timeout.toMillis() + " ms"
            + ", so whether the platform took the frames is unknown");
      }
    } catch (WebsocketNotConnectedException e) {
      // closed between the check and the ping: failure() says why
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeviceException(FailureKind.TIMEOUT, "interrupted while waiting for a WebSocket pong", e);
    }
    return isOpen() ? null : failure();
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata frame) {
    super.onWebsocketPong(conn, frame);
    lastPong = System.nanoTime();
    CountDownLatch answered = pong;
    ByteBuffer token = pongToken;
    if (answered != null && token != null && token.equals(frame.getPayloadData())) answered.countDown();
  }

  @Override
  protected void onSetSSLParameters(SSLParameters parameters) {
    // Java-WebSocket turns on the endpoint check here; leave it off only under the insecure switch.
    if (verifyHostname) super.onSetSSLParameters(parameters);
    if (getSocket() instanceof SSLSocket ssl && ssl instanceof BCSSLSocket) {
      // Bouncy Castle's JSSE refuses a write while another thread's read runs the handshake, and
      // Java-WebSocket's writer starts beside its reader: the handshake is done here, first.
      ssl.setSSLParameters(parameters);
      try {
        ssl.startHandshake();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void onOpen(ServerHandshake handshake) {
    opened = true;
    lastPong = System.nanoTime();
    if (keepAliveSeconds > 0) {
      keepAlive = executor.scheduleAtFixedRate(this::keepAlive, keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
    }
  }

  /**
   * Pings every keep-alive interval and closes the socket when no pong came for one and a half, as
   * Java-WebSocket's own check does, but on the devices' shared scheduler instead of a scheduler
   * thread of its own per socket.
   */
  private void keepAlive() {
    if (!isOpen()) {
      stopKeepAlive();
      return;
    }
    long silentNanos = System.nanoTime() - lastPong;
    if (silentNanos > TimeUnit.SECONDS.toNanos(keepAliveSeconds) * 3 / 2) {
      unanswered = new DeviceException(FailureKind.CONNECTION_LOST, "the platform answered no WebSocket ping for "
          + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms (keep-alive " + keepAliveSeconds + " s)");
      closeConnection(CloseFrame.ABNORMAL_CLOSE, "no pong within 1.5 keep-alives");
      return;
    }
    try {
      sendPing();
    } catch (WebsocketNotConnectedException closed) {
      stopKeepAlive();
    }
  }

  private void stopKeepAlive() {
    ScheduledFuture<?> task = keepAlive;
    if (task != null) task.cancel(false);
  }

  @Override
  public void onMessage(String message) {
    deliver(message.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onMessage(ByteBuffer bytes) {
    byte[] payload = new byte[bytes.remaining()];
    bytes.get(payload);
    deliver(payload);
  }

  private void deliver(byte[] payload) {
    ReceivedMessage message = new ReceivedMessage(path, payload, 0, false);
    for (MessageListener listener : listeners) listener.onMessage(message);
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    ended();
    stopKeepAlive();
    this.closeCode = code;
    this.closeReason = reason;
    CountDownLatch answered = pong;
    if (answered != null) answered.countDown(); // no pong will come: confirm() reads the close
    if (opened && !shutting) onLost.accept(failure());
  }

  @Override
  public void onError(Exception e) {
    ended();
    this.error = e;
  }

  private void ended() {
    if (endedAt == 0) endedAt = System.nanoTime();
  }
}
