package io.thingstorm.client.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that tells a listener each time the thing checks a server's certificate, then lets
 * the provider's own manager decide. A client checks the server's certificate in every full handshake
 * and in no resumed one, whatever the provider: this is how a handshake storm tells them apart.
 */
final class ObservedTrustManager extends ForwardingTrustManager {
  private final Runnable listener;

  ObservedTrustManager(X509ExtendedTrustManager delegate, Runnable listener) {
    super(delegate);
    this.listener = listener;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    listener.run();
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    listener.run();
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    listener.run();
    delegate.checkServerTrusted(chain, authType);
  }
}
