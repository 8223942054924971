package io.thingstorm.benchmarks;

import io.thingstorm.certs.BouncyCastle;
import io.thingstorm.client.tls.KeyShares;
import io.thingstorm.client.tls.TlsProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;

/**
 * The crypto providers the benchmarks compare: JDK (null: the JCA's first choice), BC, CONSCRYPT, and
 * KEYSHARES ({@code KeyShares}: Bouncy Castle's X25519 and Conscrypt's P-256, for key exchange only).
 */
final class CryptoProviders {
  private CryptoProviders() {}

  static Provider parse(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "JDK" -> null;
      case "BC" -> BouncyCastle.PROVIDER;
      case "CONSCRYPT" -> TlsProvider.CONSCRYPT.provider();
      case "KEYSHARES" -> { // what the JDK's TLS uses under tls.keyShares: auto
        KeyShares.install();
        yield java.security.Security.getProvider(KeyShares.PROVIDER_NAME);
      }
      default -> throw new IllegalArgumentException("provider is JDK, BC, CONSCRYPT or KEYSHARES, not " + name);
    };
  }

  /** The pair as the provider's own key objects, so that no operation converts keys on the way. */
  static KeyPair nativeKeys(KeyPair pair, Provider provider) throws GeneralSecurityException {
    String algorithm = pair.getPrivate().getAlgorithm();
    if (algorithm.equals("ECDSA")) algorithm = "EC";
    if (algorithm.equals("EdDSA")) algorithm = "Ed25519";
    KeyFactory factory = provider == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, provider);
    return new KeyPair(
        factory.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded())),
        factory.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded())));
  }
}
