package io.thingstorm.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** What stands behind the test's nginx: a message adapter that records what reached it. */
final class Upstreams {
  private Upstreams() {}

  /** One request as the HTTP adapter saw it. */
  record HttpRequest(String path, String contentType, String authorization, byte[] body) {}

  /** One frame as the WebSocket adapter saw it. */
  record Frame(String resource, byte[] payload, boolean text) {}

  /** Answers 202 to SenML and 415 to anything else, like Mainflux's HTTP adapter. */
  static final class HttpAdapter implements AutoCloseable {
    final HttpServer server;
    final BlockingQueue<HttpRequest> requests = new LinkedBlockingQueue<>();

    HttpAdapter() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      server.createContext("/", exchange -> {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        requests.add(new HttpRequest(exchange.getRequestURI().getRawPath(), type,
            exchange.getRequestHeaders().getFirst("Authorization"), body));
        int status = type != null && type.startsWith("application/senml+") ? 202 : 415;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    HttpRequest next() throws InterruptedException {
      HttpRequest request = requests.poll(5, TimeUnit.SECONDS);
      if (request == null) throw new AssertionError("no request reached the upstream");
      return request;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Records every frame; {@link #sendToAll} plays the platform delivering a message. */
  static final class WsAdapter extends WebSocketServer implements AutoCloseable {
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CountDownLatch started = new CountDownLatch(1);

    WsAdapter() {
      super(new InetSocketAddress(InetAddress.getLoopbackAddress(), io.thingstorm.testing.FreePort.next()));
      setReuseAddr(true);
      start();
      try {
        if (!started.await(5, TimeUnit.SECONDS)) throw new AssertionError("the WebSocket upstream did not start");
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    Frame next(Duration timeout) throws InterruptedException {
      Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) throw new AssertionError("no frame reached the upstream");
      return frame;
    }

    void sendToAll(String text) {
      broadcast(text);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      frames.add(new Frame(conn.getResourceDescriptor(), message.getBytes(StandardCharsets.UTF_8), true));
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      byte[] bytes = new byte[message.remaining()];
      message.get(bytes);
      frames.add(new Frame(conn.getResourceDescriptor(), bytes, false));
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }

    @Override
    public void close() {
      try {
        stop(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
