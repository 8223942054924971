package io.thingstorm.testbed;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports, and whether something listens: HiveMQ's start succeeds when any one listener binds. */
final class Ports {
  /**
   * The ports handed out lately in this process. A testbed picks its ports before it binds any of
   * them, so a port just handed out is still free: without this, two listeners of one testbed (or of
   * two testbeds starting at once) could be given the same port, and one would answer for the other.
   */
  private static final Set<Integer> RECENT = new LinkedHashSet<>();
  private static final int REMEMBERED = 4096;

  private Ports() {}

  /**
   * A port free a moment ago and not handed out lately in this process, below 32768 so that it never
   * collides with the kernel's ephemeral ports.
   */
  static int free(InetAddress bind) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 32000);
      if (!remember(port)) continue;
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(bind, port));
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new TestbedException("no free port found on " + bind.getHostAddress());
  }

  private static boolean remember(int port) {
    synchronized (RECENT) {
      if (!RECENT.add(port)) return false;
      if (RECENT.size() > REMEMBERED) {
        Iterator<Integer> oldest = RECENT.iterator();
        oldest.next();
        oldest.remove();
      }
      return true;
    }
  }

  /**
   * Fails unless the port can be bound now. HiveMQ starts even when one of its listeners cannot bind,
   * and a probe would then reach whatever holds the port: so the ports are checked before the start.
   */
  static void requireFree(InetAddress bind, int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(bind, port));
    } catch (IOException e) {
      throw new TestbedException("the " + what + " port " + port + " on " + bind.getHostAddress() + " is taken (" + e.getMessage() + ")");
    }
  }

  static void requireListening(InetAddress host, int port, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    do {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(25);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } while (System.nanoTime() < deadline);
    throw new TestbedException(what + " is not listening on " + host.getHostAddress() + ":" + port
        + " (is the port taken?)" + (last != null ? ": " + last.getMessage() : ""));
  }
}
