package io.thingstorm.client.http;

import java.io.IOException;
import java.net.Socket;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Bounds the TLS handshake by the connect timeout. OkHttp's connect timeout covers only the TCP
 * connect and runs the handshake under the read timeout; a server that accepts and never answers
 * the handshake would hold a device for the ack timeout instead. OkHttp sets the read timeout again
 * once the connection is up.
 */
final class HandshakeTimeoutSocketFactory extends ForwardingSslSocketFactory {
  private final int timeoutMillis;

  HandshakeTimeoutSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
    super(delegate);
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    Socket layered = delegate.createSocket(s, host, port, autoClose);
    layered.setSoTimeout(timeoutMillis);
    return layered;
  }
}
