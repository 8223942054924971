package io.thingstorm.certs;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code certs inspect} shows of a certificate, as fields and as text for a person. A thing's
 * (client) certificate shows its CN masked: on Mainflux it is the thing key.
 */
public record CertificateDescription(
    String subject,
    String issuer,
    BigInteger serial,
    Instant notBefore,
    Instant notAfter,
    long daysLeft,
    String keyType,
    boolean ca,
    List<String> subjectAltNames,
    List<String> extendedKeyUsage,
    String sha256Fingerprint) {

  public static CertificateDescription of(X509Certificate certificate) {
    return of(certificate, Instant.now());
  }

  public static CertificateDescription of(X509Certificate certificate, Instant now) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    String keyType;
    try {
      KeyType type = KeyType.of(certificate.getPublicKey());
      keyType = type.isRsa() ? (SignatureAlgorithm.isRsaPss(certificate.getPublicKey()) ? "RSA-PSS " : "RSA ") + ((java.security.interfaces.RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength() + " bit"
          : type.isEc() ? "EC " + (type == KeyType.EC_P256 ? "P-256" : "P-384") : "Ed25519";
    } catch (CertsException e) {
      keyType = certificate.getPublicKey().getAlgorithm();
    }
    return new CertificateDescription(
        Subjects.describeForOutput(certificate),
        Subjects.describe(Subjects.issuerOf(certificate)),
        certificate.getSerialNumber(),
        certificate.getNotBefore().toInstant(),
        notAfter,
        Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400),
        keyType,
        certificate.getBasicConstraints() >= 0,
        subjectAltNames(certificate),
        extendedKeyUsage(certificate),
        fingerprint(certificate));
  }

  /** The text {@code certs inspect} prints, one field per line. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("  subject:     ").append(subject).append('\n');
    out.append("  issuer:      ").append(issuer).append('\n');
    out.append("  serial:      ").append(serial.toString(16).toUpperCase()).append('\n');
    out.append("  valid:       ").append(notBefore).append(" to ").append(notAfter)
        .append(daysLeft < 0 ? " (EXPIRED " + -daysLeft + " days ago)" : " (" + daysLeft + " days left)").append('\n');
    out.append("  key:         ").append(keyType).append('\n');
    out.append("  CA:          ").append(ca ? "yes" : "no").append('\n');
    if (!subjectAltNames.isEmpty()) out.append("  SANs:        ").append(String.join(", ", subjectAltNames)).append('\n');
    if (!extendedKeyUsage.isEmpty()) out.append("  EKU:         ").append(String.join(", ", extendedKeyUsage)).append('\n');
    out.append("  SHA-256:     ").append(sha256Fingerprint).append('\n');
    return out.toString();
  }

  private static List<String> subjectAltNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans == null) return names;
      for (List<?> san : sans) {
        int type = (Integer) san.get(0);
        String prefix = switch (type) {
          case 2 -> "DNS:";
          case 7 -> "IP:";
          case 1 -> "email:";
          case 6 -> "URI:";
          default -> "other:";
        };
        names.add(prefix + san.get(1));
      }
    } catch (CertificateParsingException e) {
      names.add("(unreadable)");
    }
    return names;
  }

  private static List<String> extendedKeyUsage(X509Certificate certificate) {
    List<String> usages = new ArrayList<>();
    try {
      List<String> oids = certificate.getExtendedKeyUsage();
      if (oids == null) return usages;
      for (String oid : oids) {
        usages.add(switch (oid) {
          case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
          case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
          case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
          case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
          default -> oid;
        });
      }
    } catch (CertificateParsingException e) {
      usages.add("(unreadable)");
    }
    return usages;
  }

  private static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new CertsException("cannot fingerprint " + Subjects.describeForOutput(certificate) + ": " + e.getMessage(), e);
    }
  }
}
