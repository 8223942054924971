package io.thingstorm.testbed;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A thing's TLS client context for the tests: its certificate and key, trusting the testbed's CA.
 * The key manager hands out the key directly: a PKCS#12 store per thing would cost its hash rounds.
 */
final class ThingTls {
  private ThingTls() {}

  static SSLContext context(ManifestEntry thing, Path caFile) {
    CertifiedKey key = new CertifiedKey(Pem.readCertificates(thing.cert()), Pem.readPrivateKey(thing.key(), PasswordSource.none()));
    return context(key, caFile, "TLS");
  }

  static SSLContext context(CertifiedKey identity, Path caFile, String protocol) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<X509Certificate> cas = Pem.readCertificates(caFile);
      for (int i = 0; i < cas.size(); i++) trust.setCertificateEntry("ca" + i, cas.get(i));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance(protocol);
      context.init(new KeyManager[] {new OneKey(identity)}, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new AssertionError("cannot build a TLS context: " + e, e);
    }
  }

  private static final class OneKey extends X509ExtendedKeyManager {
    private final CertifiedKey identity;

    OneKey(CertifiedKey identity) {
      this.identity = identity;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"thing"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "thing";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "thing";
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return identity.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return identity.privateKey();
    }
  }
}
