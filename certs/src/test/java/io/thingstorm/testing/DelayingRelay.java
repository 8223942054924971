package io.thingstorm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on loopback that hands every chunk on after a fixed delay, each way and in order:
 * netem's {@code delay} for kernels without netem. Loss stays in the kernel (the link behind it).
 */
public final class DelayingRelay implements AutoCloseable {
  private static final byte[] END = new byte[0];

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final long delayNanos;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  private DelayingRelay(ServerSocket server, InetSocketAddress target, Duration delay) {
    this.server = server;
    this.target = target;
    this.delayNanos = delay.toNanos();
  }

  public static DelayingRelay start(InetSocketAddress target, Duration delay) {
    try {
      ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
      DelayingRelay relay = new DelayingRelay(server, target, delay);
      Thread.ofVirtual().name("relay to " + target).start(relay::accept);
      return relay;
    } catch (IOException e) {
      throw new AssertionError("cannot open a relay: " + e.getMessage(), e);
    }
  }

  /** Where clients connect. */
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> relay(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    Socket upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(target, 10_000);
    } catch (IOException refused) {
      // The server is not there: the client sees its connection closed, as from a broker that went away.
      closeBoth(client, upstream);
      return;
    }
    pump(client, upstream);
    pump(upstream, client);
  }

  /** One direction: a reader that stamps chunks, a writer that sends each when its time comes. */
  private void pump(Socket from, Socket to) {
    BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) queue.add(new Object[] {System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)});
      } catch (IOException ignored) {
        // closed either way: pass the end on
      }
      queue.add(new Object[] {System.nanoTime() + delayNanos, END});
    });
    Thread.ofVirtual().start(() -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Object[] next = queue.take();
          long wait = (long) next[0] - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
          byte[] bytes = (byte[]) next[1];
          if (bytes == END) break;
          out.write(bytes);
          out.flush();
        }
      } catch (IOException | InterruptedException ignored) {
        // the other side is gone
      }
      closeBoth(from, to);
    });
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      sockets.remove(s);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
