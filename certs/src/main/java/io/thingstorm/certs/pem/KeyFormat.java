package io.thingstorm.certs.pem;

import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyType;
import java.security.PrivateKey;
import java.util.Locale;

/** How a private key is written: PKCS#8 (the default), or the older RSA and EC forms. */
public enum KeyFormat {
  /** {@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY} with a password. */
  PKCS8("pkcs8"),
  /** {@code BEGIN RSA PRIVATE KEY}: for older device stacks; RSA only. */
  PKCS1("pkcs1"),
  /** {@code BEGIN EC PRIVATE KEY}: for older device stacks; EC only. */
  SEC1("sec1");

  private final String label;

  KeyFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static KeyFormat parse(String label) {
    String wanted = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
    for (KeyFormat format : values()) {
      if (format.label.equals(wanted)) return format;
    }
    throw new CertsException("unknown key format '" + label + "' (known: pkcs8, pkcs1, sec1)");
  }

  /** Refuses a format that cannot hold the key type, such as SEC1 for an RSA key. */
  public void requireFits(KeyType type) {
    if (this == PKCS1 && !type.isRsa()) throw new CertsException("pkcs1 holds RSA keys only, not " + type);
    if (this == SEC1 && !type.isEc()) throw new CertsException("sec1 holds EC keys only, not " + type);
  }

  void requireFits(PrivateKey key) {
    String algorithm = key.getAlgorithm();
    if (this == PKCS1 && !algorithm.equals("RSA")) throw new CertsException("pkcs1 holds RSA keys only, not " + algorithm);
    if (this == SEC1 && !(algorithm.equals("EC") || algorithm.equals("ECDSA"))) {
      throw new CertsException("sec1 holds EC keys only, not " + algorithm);
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
