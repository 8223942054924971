package io.thingstorm.certs;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Verifies certificates against a CA bundle, as {@code openssl verify -CAfile} does: the bundle may
 * hold several roots (a custom CA appended to it) and intermediates; a presented chain may carry its
 * own intermediates. The reasons use openssl's words, so that its users recognise them.
 */
public final class ChainVerifier {
  /** The outcome for one certificate: OK, or the reason it failed. */
  public record Verdict(boolean ok, String reason, List<X509Certificate> path) {
    static Verdict ok(List<X509Certificate> path) {
      return new Verdict(true, "OK", path);
    }

    static Verdict failed(String reason, List<X509Certificate> path) {
      return new Verdict(false, reason, path);
    }
  }

  private final List<X509Certificate> roots = new ArrayList<>();
  private final List<X509Certificate> bundleIntermediates = new ArrayList<>();

  public ChainVerifier(List<X509Certificate> bundle) {
    for (X509Certificate certificate : bundle) {
      (selfIssued(certificate) ? roots : bundleIntermediates).add(certificate);
    }
    if (roots.isEmpty() && bundleIntermediates.isEmpty()) throw new CertsException("the CA bundle is empty");
  }

  /** Verifies the first certificate of a presented chain, now. */
  public Verdict verify(List<X509Certificate> presented) {
    return verify(presented, Instant.now());
  }

  public Verdict verify(List<X509Certificate> presented, Instant at) {
    List<X509Certificate> candidates = new ArrayList<>(presented.subList(1, presented.size()));
    candidates.addAll(bundleIntermediates);
    candidates.addAll(roots);

    List<X509Certificate> path = new ArrayList<>();
    X509Certificate current = presented.get(0);
    path.add(current);
    X509Certificate anchor = null;
    while (anchor == null) {
      if (selfIssued(current)) {
        if (!isTrusted(current)) return Verdict.failed(path.size() == 1 ? "self-signed certificate" : "self-signed certificate in certificate chain", path);
        anchor = current;
        break;
      }
      X509Certificate issuer = findIssuer(current, candidates);
      if (issuer == null) {
        X509Certificate child = current;
        // As openssl: a CA of the right name but another key identifier is no issuer at all.
        boolean anyNamedIssuer = candidates.stream().anyMatch(c -> c.getSubjectX500Principal().equals(child.getIssuerX500Principal())
            && keyIdentifiersAgree(child, c));
        return Verdict.failed(anyNamedIssuer ? "certificate signature failure" : "unable to get local issuer certificate", path);
      }
      if (path.contains(issuer) || path.size() > 10) return Verdict.failed("certificate chain too long", path);
      path.add(issuer);
      if (roots.contains(issuer)) anchor = issuer;
      current = issuer;
    }

    // Validity first, in openssl's words; then the JDK's PKIX checks (constraints, key usage, EKU).
    Date date = Date.from(at);
    for (X509Certificate certificate : path) {
      try {
        certificate.checkValidity(date);
      } catch (CertificateExpiredException e) {
        return Verdict.failed("certificate has expired", path);
      } catch (CertificateNotYetValidException e) {
        return Verdict.failed("certificate is not yet valid", path);
      }
    }
    for (int i = 1; i < path.size(); i++) {
      if (path.get(i).getBasicConstraints() < 0) return Verdict.failed("invalid CA certificate", path);
    }
    if (path.size() == 1) return Verdict.ok(path);
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path.subList(0, path.size() - 1));
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(date);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      return Verdict.failed(describe(e), path);
    } catch (GeneralSecurityException e) {
      return Verdict.failed(e.getMessage(), path);
    }
    return Verdict.ok(path);
  }

  private boolean isTrusted(X509Certificate certificate) {
    return roots.contains(certificate);
  }

  private static X509Certificate findIssuer(X509Certificate child, List<X509Certificate> candidates) {
    for (X509Certificate candidate : candidates) {
      if (!candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())) continue;
      try {
        child.verify(candidate.getPublicKey());
        return candidate;
      } catch (GeneralSecurityException | RuntimeException e) {
        // Same name, different key (a re-made CA): keep looking.
      }
    }
    return null;
  }

  /** False only when both carry key identifiers (the authority's in the child, the subject's in the CA) that differ. */
  private static boolean keyIdentifiersAgree(X509Certificate child, X509Certificate ca) {
    try {
      byte[] authority = extension(child, Extension.authorityKeyIdentifier);
      byte[] subject = extension(ca, Extension.subjectKeyIdentifier);
      if (authority == null || subject == null) return true;
      byte[] wanted = AuthorityKeyIdentifier.getInstance(authority).getKeyIdentifier();
      return wanted == null || Arrays.equals(wanted, SubjectKeyIdentifier.getInstance(subject).getKeyIdentifier());
    } catch (IllegalArgumentException e) {
      return true; // a malformed identifier decides nothing: the signature check does
    }
  }

  private static byte[] extension(X509Certificate certificate, ASN1ObjectIdentifier oid) {
    byte[] value = certificate.getExtensionValue(oid.getId());
    return value == null ? null : ASN1OctetString.getInstance(value).getOctets();
  }

  static boolean selfIssued(X509Certificate certificate) {
    if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) return false;
    try {
      certificate.verify(certificate.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static String describe(CertPathValidatorException e) {
    CertPathValidatorException.Reason reason = e.getReason();
    if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) return "certificate signature failure";
    if (reason == CertPathValidatorException.BasicReason.EXPIRED) return "certificate has expired";
    if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) return "certificate is not yet valid";
    if (reason == java.security.cert.PKIXReason.INVALID_KEY_USAGE) return "unsuitable certificate purpose";
    if (reason == java.security.cert.PKIXReason.PATH_TOO_LONG) return "path length constraint exceeded";
    if (reason == java.security.cert.PKIXReason.NOT_CA_CERT) return "invalid CA certificate";
    String message = e.getMessage() == null ? "verification failed" : e.getMessage();
    return message.lines().findFirst().orElse("verification failed");
  }
}
