package io.thingstorm.benchmarks;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CommonName;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA, a server and a thing, all of one key type, so that the key type decides every signature in
 * a handshake (the CA's on both certificates, and each side's CertificateVerify).
 */
final class BenchmarkPki {
  final KeyType keyType;
  final CertificateAuthority ca;
  final CertifiedKey server;
  final CertifiedKey thing;
  final String thingKey = UUID.randomUUID().toString();

  BenchmarkPki(KeyType keyType) {
    this.keyType = keyType;
    this.ca = CertificateAuthority.createRoot("thingstorm benchmark CA", keyType, 365);
    this.server = ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), keyType, 365);
    this.thing = ca.issueThing(thingKey, keyType, 365); // under 30 days left, the client warns
  }

  ThingIdentity thingIdentity() {
    return ThingIdentity.builder().certifiedKey(thing).thingId("bench-thing").build();
  }

  /** The device's side, as thingstorm's client builds it (its key manager, the provider's trust manager). */
  SSLContext clientContext(TlsProvider provider) {
    return clientContext(provider, () -> {});
  }

  /** As {@link #clientContext(TlsProvider)}, telling {@code serverCheck} of each check of the server's certificate. */
  SSLContext clientContext(TlsProvider provider, Runnable serverCheck) {
    TlsSettings settings = TlsSettings.builder()
        .trust(TrustMaterial.of(List.of(ca.certificate()), false))
        .provider(provider)
        .onServerCertificateCheck(serverCheck)
        .build();
    return settings.forIdentity(thingIdentity()).sslContext();
  }

  /** The platform's side: the JDK's JSSE, as HiveMQ (Netty) and Jetty use it. */
  SSLContext serverContext() {
    try {
      char[] password = "benchmark".toCharArray();
      KeyStore keys = server.keyStore("server", password);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the server's SSLContext for " + keyType + ": " + e, e);
    }
  }

  static String commonName(X509Certificate certificate) {
    return CommonName.of(certificate).orElse("");
  }
}
