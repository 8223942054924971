package io.thingstorm.certs;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A CA that issues certificates: a root made here, an intermediate, or one loaded from {@code
 * ca.crt}/{@code ca.key}. Thread-safe: bulk issuing signs from several threads at once.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.createRoot("thingstorm CA", KeyType.EC_P256, 1095);
 * CertifiedKey thing = ca.issueThing("3f1c...thing-key", KeyType.EC_P256, 730);
 * }</pre>
 */
public final class CertificateAuthority {
  private static final ThreadLocal<CertificateFactory> X509 = ThreadLocal.withInitial(() -> {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  });

  private final CertifiedKey key;
  private final X500Name name;
  private final KeyType keyType;
  private final PrivateKey signingKey;
  private final SignatureAlgorithm signature;

  private CertificateAuthority(CertifiedKey key) {
    this.key = key;
    this.name = Subjects.subjectOf(key.certificate());
    this.keyType = key.keyType();
    this.signingKey = onBouncyCastle(key.privateKey());
    this.signature = SignatureAlgorithm.of(signingKey, keyType);
  }

  /**
   * Bouncy Castle caches its fixed-point tables on its own curve objects; a JDK key would make it
   * build a fresh curve, and recompute the tables, on every signature (3 times slower in bulk).
   */
  private static PrivateKey onBouncyCastle(PrivateKey key) {
    try {
      return KeyFactory.getInstance(key.getAlgorithm(), BouncyCastle.PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  /** Wraps an existing CA certificate and its key; refuses a certificate that is not a CA. */
  public static CertificateAuthority of(CertifiedKey key) {
    requireCa(key);
    KeyMatch.require(key);
    return new CertificateAuthority(key);
  }

  /** For a caller that has checked the key against the certificate already, naming its files. */
  static CertificateAuthority ofMatchedKey(CertifiedKey key) {
    requireCa(key);
    return new CertificateAuthority(key);
  }

  private static void requireCa(CertifiedKey key) {
    X509Certificate certificate = key.certificate();
    if (certificate.getBasicConstraints() < 0) {
      throw new CertsException("certificate " + Subjects.describeForOutput(certificate) + " is not a CA (no CA:TRUE basic constraint)");
    }
  }

  /** A new self-signed root CA. */
  public static CertificateAuthority createRoot(String commonName, KeyType keyType, long days) {
    return createRoot(CertificateSpec.builder(CertificateRole.ROOT_CA).commonName(commonName).days(days).build(), keyType);
  }

  public static CertificateAuthority createRoot(CertificateSpec spec, KeyType keyType) {
    KeyPair pair = keyType.generate(Randomness.current());
    X509Certificate certificate = build(spec, spec.subject(), pair.getPublic(), pair.getPublic(), pair.getPrivate(),
        SignatureAlgorithm.of(pair.getPrivate(), keyType));
    return new CertificateAuthority(new CertifiedKey(List.of(certificate), pair.getPrivate()));
  }

  public CertifiedKey certifiedKey() {
    return key;
  }

  public X509Certificate certificate() {
    return key.certificate();
  }

  public KeyType keyType() {
    return keyType;
  }

  /** An intermediate CA signed by this one, limited to issuing end-entity certificates. */
  public CertificateAuthority issueIntermediate(String commonName, KeyType keyType, long days) {
    CertificateSpec spec = CertificateSpec.builder(CertificateRole.INTERMEDIATE_CA).commonName(commonName).days(days).build();
    return new CertificateAuthority(issue(spec, keyType));
  }

  /** A TLS server certificate with the given host names and IP addresses as SANs. */
  public CertifiedKey issueServer(String commonName, List<String> hosts, List<String> ips, KeyType keyType, long days) {
    CertificateSpec.Builder spec = CertificateSpec.builder(CertificateRole.SERVER).commonName(commonName).days(days);
    hosts.forEach(spec::dnsName);
    ips.forEach(spec::ipAddress);
    return issue(spec.build(), keyType);
  }

  /** A thing's client certificate: CN = thing key, EKU clientAuth. */
  public CertifiedKey issueThing(String thingKey, KeyType keyType, long days) {
    return issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName(thingKey).days(days).build(), keyType);
  }

  /** Generates a key pair of the given type and certifies it as the spec says. */
  public CertifiedKey issue(CertificateSpec spec, KeyType keyType) {
    KeyPair pair = keyType.generate(Randomness.current());
    return new CertifiedKey(chainFor(sign(spec, pair.getPublic())), pair.getPrivate());
  }

  /** Certifies a public key that someone else holds the private key of (a CSR's). */
  public X509Certificate sign(CertificateSpec spec, PublicKey subjectKey) {
    return build(spec, name, subjectKey, certificate().getPublicKey(), signingKey, signature);
  }

  /** The chain an issued certificate is sent with: it, then this CA's chain up to the root. */
  public List<X509Certificate> chainFor(X509Certificate issued) {
    List<X509Certificate> chain = new ArrayList<>(key.chain().size() + 1);
    chain.add(issued);
    for (X509Certificate c : key.chain()) {
      if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) chain.add(c);
    }
    return chain;
  }

  private static X509Certificate build(
      CertificateSpec spec, X500Name issuer, PublicKey subjectKey, PublicKey issuerKey, PrivateKey signingKey, SignatureAlgorithm signature) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuer, spec.serial(), Date.from(spec.notBefore()), Date.from(spec.notAfter()), spec.subject(), subjectKey);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
      if (spec.role() != CertificateRole.ROOT_CA) {
        builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(issuerKey));
      }
      KeyType subjectType = KeyType.of(subjectKey);
      switch (spec.role()) {
        case ROOT_CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        }
        case INTERMEDIATE_CA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        }
        case SERVER, CLIENT -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          // RSA key exchange (TLS 1.2 RSA suites) needs keyEncipherment; EC, EdDSA and RSA-PSS keys only sign.
          boolean encipher = subjectType.isRsa() && !SignatureAlgorithm.isRsaPss(subjectKey);
          int usage = KeyUsage.digitalSignature | (encipher ? KeyUsage.keyEncipherment : 0);
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
          builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              spec.role() == CertificateRole.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        }
        default -> throw new AssertionError(spec.role());
      }
      if (!spec.altNames().isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, spec.altNames().toGeneralNames());
      }
      ContentSigner contentSigner = signature.signer(signingKey);
      byte[] der = builder.build(contentSigner).getEncoded();
      return (X509Certificate) X509.get().generateCertificate(new ByteArrayInputStream(der));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new CertsException("cannot issue certificate for " + Subjects.describeMasked(spec.subject()) + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new CertsException("cannot encode certificate for " + Subjects.describeMasked(spec.subject()) + ": " + e.getMessage(), e);
    }
  }
}
