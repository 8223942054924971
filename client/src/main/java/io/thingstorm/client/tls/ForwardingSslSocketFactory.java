package io.thingstorm.client.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;
import org.bouncycastle.jsse.BCSSLSocket;

/**
 * An {@link SSLSocketFactory} that hands everything to another and passes every socket made through
 * {@link #made}; subclasses change what they need of how sockets are made and keep the rest.
 */
public abstract class ForwardingSslSocketFactory extends SSLSocketFactory {
  protected final SSLSocketFactory delegate;

  protected ForwardingSslSocketFactory(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  /** What becomes of each socket made, before it is handed out; the socket itself by default. */
  protected Socket made(Socket socket) throws IOException {
    return socket;
  }

  /**
   * Bouncy Castle's JSSE keeps no host name for its checks when the host is an IP address such as
   * 127.0.0.1, and then refuses every server ("No hostname specified"); told it, it checks the
   * certificate's IP address as the JDK does.
   */
  public static Socket toHost(Socket socket, String host) {
    if (socket instanceof BCSSLSocket bc && host != null) bc.setHost(host);
    return socket;
  }

  /** {@code factory}, its sockets told {@code host} (see {@link #toHost}) however they are made: for clients that connect a socket made unconnected. */
  public static SSLSocketFactory namingHost(SSLSocketFactory factory, String host) {
    return new ForwardingSslSocketFactory(factory) {
      @Override
      protected Socket made(Socket socket) {
        return toHost(socket, host);
      }
    };
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return made(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return made(toHost(delegate.createSocket(s, host, port, autoClose), host));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return made(toHost(delegate.createSocket(host, port), host));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return made(toHost(delegate.createSocket(host, port, localHost, localPort), host));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return made(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return made(delegate.createSocket(address, port, localAddress, localPort));
  }
}
