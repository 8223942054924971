package io.thingstorm.certs;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads the CN of a certificate's subject: the thing key (Mainflux) or the user name (Cybus). */
public final class CommonName {
  private CommonName() {}

  public static Optional<String> of(X509Certificate certificate) {
    return of(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()));
  }

  public static Optional<String> of(X500Name name) {
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    if (rdns.length == 0) return Optional.empty();
    ASN1Encodable value = rdns[rdns.length - 1].getFirst().getValue();
    return Optional.of(IETFUtils.valueToString(value));
  }

  /** The CN, or an error naming the certificate when it has none. */
  public static String require(X509Certificate certificate) {
    return of(certificate).orElseThrow(() -> new CertsException(
        "certificate " + Subjects.describe(certificate) + " has no CN"));
  }
}
