package io.thingstorm.client.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Binds every unconnected socket it makes to one local address before it connects, the kernel
 * choosing the port. Why: one source address has about 28,000 ephemeral ports towards one platform
 * address; as they fill, Linux searches longer for a free one on every connect (at 17,000 devices
 * over one loopback pair, 4 ms of system CPU per connect against 0.5 ms at 5,000). Devices spread
 * over several source addresses (as emqtt-bench's {@code --ifaddr} does) keep each one's share low.
 */
public final class BoundSocketFactory extends ForwardingSslSocketFactory {
  private final InetAddress local;

  private BoundSocketFactory(SSLSocketFactory delegate, InetAddress local) {
    super(delegate);
    this.local = local;
  }

  /** {@code factory} itself when {@code local} is null; else its sockets bound to {@code local}. */
  public static SSLSocketFactory of(SSLSocketFactory factory, InetAddress local) {
    return local == null ? factory : new BoundSocketFactory(factory, local);
  }

  /** Plain sockets bound to {@code local} (OkHttp makes its TLS over these); null when {@code local} is. */
  public static SocketFactory plain(InetAddress local) {
    if (local == null) return null;
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        return bound(new Socket(), local);
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return new Socket(host, port, localHost, localPort);
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return new Socket(address, port, localAddress, localPort);
      }
    };
  }

  private static Socket bound(Socket socket, InetAddress local) throws IOException {
    try {
      socket.bind(new InetSocketAddress(local, 0));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot bind to source address " + local.getHostAddress() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Socket createSocket() throws IOException {
    return bound(delegate.createSocket(), local);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port, local, 0);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port, local, 0);
  }
}
