package io.thingstorm.client.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Bounds the TLS handshake by the connect timeout. OkHttp's connect timeout covers only the TCP
 * connect and runs the handshake under the read timeout; a server that accepts and never answers
 * the handshake would hold a device for the ack timeout instead. OkHttp sets the read timeout again
 * once the connection is up.
 */
final class HandshakeTimeoutSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final int timeoutMillis;

  HandshakeTimeoutSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
    this.delegate = delegate;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    Socket layered = delegate.createSocket(s, host, port, autoClose);
    layered.setSoTimeout(timeoutMillis);
    return layered;
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
    return delegate.createSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }
}
