package io.thingstorm.client;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;

/**
 * A thing's certificate held as its DER bytes, public key and validity, and parsed again only when
 * asked for anything else. Why: the JDK's parsed certificate keeps about 3.6 KB of objects for a
 * P-256 thing certificate, a tenth of what a connected device costs; a TLS handshake asks only for
 * the encoding and the public key.
 */
final class CompactCertificate extends X509Certificate {
  private final byte[] der;
  private final PublicKey publicKey;
  private final long notBefore;
  private final long notAfter;

  private CompactCertificate(byte[] der, PublicKey publicKey, long notBefore, long notAfter) {
    this.der = der;
    this.publicKey = publicKey;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
  }

  /** {@code certificate} held compactly; as it is when it cannot be encoded. */
  static X509Certificate of(X509Certificate certificate) {
    if (certificate instanceof CompactCertificate) return certificate;
    try {
      return new CompactCertificate(certificate.getEncoded(), certificate.getPublicKey(),
          certificate.getNotBefore().getTime(), certificate.getNotAfter().getTime());
    } catch (CertificateEncodingException e) {
      return certificate;
    }
  }

  /** The whole certificate, parsed from its encoding: for what is asked rarely. */
  private X509Certificate full() {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("a certificate parsed once no longer parses: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] getEncoded() {
    return der.clone();
  }

  @Override
  public PublicKey getPublicKey() {
    return publicKey;
  }

  @Override
  public Date getNotBefore() {
    return new Date(notBefore);
  }

  @Override
  public Date getNotAfter() {
    return new Date(notAfter);
  }

  @Override
  public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
    checkValidity(new Date());
  }

  @Override
  public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
    if (date.getTime() > notAfter) throw new CertificateExpiredException("certificate expired on " + getNotAfter());
    if (date.getTime() < notBefore) throw new CertificateNotYetValidException("certificate not valid till " + getNotBefore());
  }

  @Override
  public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException, InvalidKeyException,
      NoSuchProviderException, SignatureException {
    full().verify(key);
  }

  @Override
  public void verify(PublicKey key, String sigProvider) throws CertificateException, NoSuchAlgorithmException,
      InvalidKeyException, NoSuchProviderException, SignatureException {
    full().verify(key, sigProvider);
  }

  @Override
  public String toString() {
    return full().toString();
  }

  @Override
  public int getVersion() {
    return full().getVersion();
  }

  @Override
  public BigInteger getSerialNumber() {
    return full().getSerialNumber();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getIssuerDN() {
    return full().getIssuerDN();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getSubjectDN() {
    return full().getSubjectDN();
  }

  @Override
  public javax.security.auth.x500.X500Principal getIssuerX500Principal() {
    return full().getIssuerX500Principal();
  }

  @Override
  public javax.security.auth.x500.X500Principal getSubjectX500Principal() {
    return full().getSubjectX500Principal();
  }

  @Override
  public byte[] getTBSCertificate() throws CertificateEncodingException {
    return full().getTBSCertificate();
  }

  @Override
  public byte[] getSignature() {
    return full().getSignature();
  }

  @Override
  public String getSigAlgName() {
    return full().getSigAlgName();
  }

  @Override
  public String getSigAlgOID() {
    return full().getSigAlgOID();
  }

  @Override
  public byte[] getSigAlgParams() {
    return full().getSigAlgParams();
  }

  @Override
  public boolean[] getIssuerUniqueID() {
    return full().getIssuerUniqueID();
  }

  @Override
  public boolean[] getSubjectUniqueID() {
    return full().getSubjectUniqueID();
  }

  @Override
  public boolean[] getKeyUsage() {
    return full().getKeyUsage();
  }

  @Override
  public java.util.List<String> getExtendedKeyUsage() throws java.security.cert.CertificateParsingException {
    return full().getExtendedKeyUsage();
  }

  @Override
  public java.util.Collection<java.util.List<?>> getSubjectAlternativeNames() throws java.security.cert.CertificateParsingException {
    return full().getSubjectAlternativeNames();
  }

  @Override
  public int getBasicConstraints() {
    return full().getBasicConstraints();
  }

  @Override
  public boolean hasUnsupportedCriticalExtension() {
    return full().hasUnsupportedCriticalExtension();
  }

  @Override
  public Set<String> getCriticalExtensionOIDs() {
    return full().getCriticalExtensionOIDs();
  }

  @Override
  public Set<String> getNonCriticalExtensionOIDs() {
    return full().getNonCriticalExtensionOIDs();
  }

  @Override
  public byte[] getExtensionValue(String oid) {
    return full().getExtensionValue(oid);
  }
}
