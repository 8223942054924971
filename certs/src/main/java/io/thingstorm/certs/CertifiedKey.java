package io.thingstorm.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and the certificate chain that certifies it: the certificate first, then the
 * intermediates up to (not including) the root, as TLS sends them.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {
  public CertifiedKey {
    if (chain.isEmpty()) throw new IllegalArgumentException("a certified key needs a certificate");
    chain = List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public String commonName() {
    return CommonName.require(certificate());
  }

  public KeyType keyType() {
    return KeyType.of(certificate().getPublicKey());
  }

  @Override
  public String toString() {
    // Never the key itself: this may end up in logs.
    return "CertifiedKey[" + Subjects.describeForOutput(certificate()) + ", " + keyType() + "]";
  }
}
