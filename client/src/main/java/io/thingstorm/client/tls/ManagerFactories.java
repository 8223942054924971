package io.thingstorm.client.tls;

import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * Factories that hand out one manager already made. Clients that take only factories (Netty's
 * {@code SslContextBuilder}) then use the thing's key manager and the run's trust as they are,
 * without a detour through a PKCS12 key store (10,000 hash rounds per key by default).
 */
final class ManagerFactories {
  private static final Provider NONE = new Provider("thingstorm-managers", "1", "managers made by thingstorm") {};

  private ManagerFactories() {}

  static KeyManagerFactory of(KeyManager manager) {
    return new KeyManagerFactory(new KeyManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore ks, char[] password) {}

      @Override
      protected void engineInit(ManagerFactoryParameters spec) {}

      @Override
      protected KeyManager[] engineGetKeyManagers() {
        return new KeyManager[] {manager};
      }
    }, NONE, "thing") {};
  }

  static TrustManagerFactory of(TrustManager manager) {
    return new TrustManagerFactory(new TrustManagerFactorySpi() {
      @Override
      protected void engineInit(KeyStore ks) {}

      @Override
      protected void engineInit(ManagerFactoryParameters spec) {}

      @Override
      protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {manager};
      }
    }, NONE, "thing") {};
  }
}
