package io.thingstorm.certs;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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

  /**
   * This key and its chain in an in-memory PKCS#12 key store under {@code alias}: what a JSSE
   * {@code KeyManagerFactory}, and so a TLS server in this JVM, takes.
   */
  public KeyStore keyStore(String alias, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, password, chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new CertsException("cannot hold " + this + " in a PKCS#12 key store: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    // Never the key itself: this may end up in logs.
    return "CertifiedKey[" + Subjects.describeForOutput(certificate()) + ", " + keyType() + "]";
  }
}
