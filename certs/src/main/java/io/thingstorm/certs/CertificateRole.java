package io.thingstorm.certs;

/** What a certificate is for; it decides the basic constraints, key usage and extended key usage. */
public enum CertificateRole {
  /** A self-signed root. */
  ROOT_CA,
  /** A CA signed by another, limited to issuing end-entity certificates (path length 0). */
  INTERMEDIATE_CA,
  /** A TLS server (EKU serverAuth, with SANs). */
  SERVER,
  /** A device or user authenticating with mutual TLS (EKU clientAuth). */
  CLIENT;

  public boolean isCa() {
    return this == ROOT_CA || this == INTERMEDIATE_CA;
  }
}
