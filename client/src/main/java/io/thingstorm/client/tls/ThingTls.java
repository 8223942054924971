package io.thingstorm.client.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One thing's TLS: its SSLContext (its key, the fleet's shared trust) and a socket factory that
 * applies the {@link TlsSettings} to every socket it makes.
 */
public final class ThingTls {
  private final TlsSettings settings;
  private final SSLContext context;
  private final X509TrustManager trustManager;
  private final ConfiguredSocketFactory socketFactory;

  ThingTls(TlsSettings settings, SSLContext context, X509TrustManager trustManager) {
    this.settings = settings;
    this.context = context;
    this.trustManager = trustManager;
    this.socketFactory = new ConfiguredSocketFactory(context, settings, true);
  }

  public TlsSettings settings() {
    return settings;
  }

  public SSLContext sslContext() {
    return context;
  }

  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** Sockets with the versions, suites, SNI and (when on) hostname verification of the settings. */
  public SSLSocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * Sockets with the versions and suites but no hostname verification set, for clients that verify
   * host names themselves and overwrite SSLParameters (Paho: its own switch; OkHttp: its verifier).
   */
  public SSLSocketFactory socketFactoryWithoutEndpointCheck() {
    return new ConfiguredSocketFactory(context, settings, false);
  }

}
