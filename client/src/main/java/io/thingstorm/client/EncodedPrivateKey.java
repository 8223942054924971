package io.thingstorm.client;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * A thing's private key held as its PKCS#8 encoding and made into a key object when asked for. Why:
 * Bouncy Castle's EC key object, as a CA issues it, keeps about 1.3 KB; the encoding is a tenth of
 * that, and a device asks for its key once, when its TLS context is made. A key that cannot be
 * encoded, or read back by the JDK, is held as it is.
 */
final class EncodedPrivateKey {
  private final byte[] pkcs8;
  private final String algorithm;
  private final PrivateKey asGiven;

  private EncodedPrivateKey(byte[] pkcs8, String algorithm, PrivateKey asGiven) {
    this.pkcs8 = pkcs8;
    this.algorithm = algorithm;
    this.asGiven = asGiven;
  }

  static EncodedPrivateKey of(PrivateKey key) {
    byte[] encoded = "PKCS#8".equals(key.getFormat()) ? key.getEncoded() : null;
    if (encoded == null || decode(encoded, key.getAlgorithm()) == null) return new EncodedPrivateKey(null, key.getAlgorithm(), key);
    return new EncodedPrivateKey(encoded, key.getAlgorithm(), null);
  }

  /** The key, as the JDK's own key object (a new one each time) unless it was held as given. */
  PrivateKey key() {
    if (asGiven != null) return asGiven;
    PrivateKey key = decode(pkcs8, algorithm);
    if (key == null) throw new IllegalStateException("a " + algorithm + " key read once no longer reads");
    return key;
  }

  /** The key's algorithm, as the key given named it. */
  String algorithm() {
    return algorithm;
  }

  private static PrivateKey decode(byte[] pkcs8, String algorithm) {
    try {
      return KeyFactory.getInstance(jdkName(algorithm)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException notTheJdks) {
      return null;
    }
  }

  /** Bouncy Castle's names for the JDK's algorithms. */
  private static String jdkName(String algorithm) {
    return switch (algorithm) {
      case "ECDSA" -> "EC";
      case "EdDSA" -> "Ed25519";
      default -> algorithm;
    };
  }
}
