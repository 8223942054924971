package io.thingstorm.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types thingstorm issues, named as on the command line. */
public enum KeyType {
  EC_P256("ec-p256", "SHA256withECDSA", 256),
  EC_P384("ec-p384", "SHA384withECDSA", 384),
  RSA_2048("rsa-2048", "SHA256withRSA", 2048),
  RSA_3072("rsa-3072", "SHA256withRSA", 3072),
  RSA_4096("rsa-4096", "SHA256withRSA", 4096),
  ED25519("ed25519", "Ed25519", 255);

  private final String label;
  private final String signatureAlgorithm;
  private final int bits;

  KeyType(String label, String signatureAlgorithm, int bits) {
    this.label = label;
    this.signatureAlgorithm = signatureAlgorithm;
    this.bits = bits;
  }

  /** The name used on the command line and in scenario files, such as {@code ec-p256}. */
  public String label() {
    return label;
  }

  /** The JCA name of the signature this key makes on the certificates it signs. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public int bits() {
    return bits;
  }

  public boolean isRsa() {
    return name().startsWith("RSA");
  }

  public boolean isEc() {
    return name().startsWith("EC");
  }

  /** Generates a new key pair; EC on Bouncy Castle, whose fixed-point code is the fastest here. */
  public KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator;
      switch (this) {
        case EC_P256, EC_P384 -> {
          generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
          generator.initialize(new ECGenParameterSpec(this == EC_P256 ? "secp256r1" : "secp384r1"), random);
        }
        case RSA_2048, RSA_3072, RSA_4096 -> {
          // The JDK's prime search is about a fifth faster than Bouncy Castle's here; RSA issuing is
          // bound by it.
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
        }
        case ED25519 -> generator = KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER);
        default -> throw new AssertionError(this);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CertsException("cannot generate a " + label + " key: " + e.getMessage(), e);
    }
  }

  public KeyPair generate() {
    return generate(Randomness.current());
  }

  /** Parses a label such as {@code ec-p256}; the error lists the ones that exist. */
  public static KeyType parse(String label) {
    String wanted = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (KeyType type : values()) {
      if (type.label.equals(wanted)) return type;
    }
    throw new CertsException("unknown key type '" + label + "' (known: " + labels() + ")");
  }

  public static String labels() {
    return Arrays.stream(values()).map(KeyType::label).collect(Collectors.joining(", "));
  }

  /** The type of an existing public key, used to pick the signature for a loaded CA. */
  public static KeyType of(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits <= 2048) return RSA_2048;
      if (bits <= 3072) return RSA_3072;
      return RSA_4096;
    }
    if (key instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256 ? EC_P384 : EC_P256;
    }
    String algorithm = key.getAlgorithm();
    if (algorithm.equalsIgnoreCase("Ed25519") || algorithm.equalsIgnoreCase("EdDSA")) return ED25519;
    throw new CertsException("unsupported key algorithm " + algorithm);
  }

  @Override
  public String toString() {
    return label;
  }
}
