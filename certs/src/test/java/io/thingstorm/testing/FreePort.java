package io.thingstorm.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports for servers that tests start. */
public final class FreePort {
  /** Handed out already in this JVM: two servers of one test must never get the same port. */
  private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FreePort() {}

  /** A port that was free a moment ago, below 32768 so that it never collides with ephemeral ports. */
  public static int next() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20000 + (int) (Math.random() * 12000);
      if (!GIVEN.add(port)) continue;
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new AssertionError("no free loopback port found");
  }

  /** Waits until something accepts connections on the port, or fails the test. */
  public static void awaitListening(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
    throw new AssertionError("nothing listens on port " + port + " after " + timeout);
  }
}
