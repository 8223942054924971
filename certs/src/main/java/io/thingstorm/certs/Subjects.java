package io.thingstorm.certs;

import io.thingstorm.certs.fleet.Thing;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Distinguished names as openssl prints and writes them (C, O, OU, CN, in that order). */
public final class Subjects {
  private Subjects() {}

  public static X500Name of(String commonName, String organization, String country) {
    return of(commonName, organization, null, country);
  }

  public static X500Name of(String commonName, String organization, String unit, String country) {
    if (commonName == null || commonName.isBlank()) {
      throw new CertsException("the CN must not be empty");
    }
    requireCommonNameLength(commonName);
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    if (country != null && !country.isBlank()) {
      if (country.length() != 2) throw new CertsException("country must be a two-letter code, not '" + country + "'");
      builder.addRDN(BCStyle.C, country);
    }
    if (organization != null && !organization.isBlank()) builder.addRDN(BCStyle.O, organization);
    if (unit != null && !unit.isBlank()) builder.addRDN(BCStyle.OU, unit);
    builder.addRDN(BCStyle.CN, commonName);
    return builder.build();
  }

  /**
   * RFC 5280 allows 64 characters. Said here, masked, before Bouncy Castle's own refusal, which
   * quotes the name in full: a thing's CN is its thing key.
   */
  static void requireCommonNameLength(String commonName) {
    if (commonName.length() > 64) {
      throw new CertsException("the CN " + Thing.mask(commonName) + " is " + commonName.length()
          + " characters long; RFC 5280 allows at most 64");
    }
  }

  public static X500Name subjectOf(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  public static X500Name issuerOf(X509Certificate certificate) {
    return X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
  }

  /** "C=DE, O=Smart Factory Inc., CN=device001", as {@code openssl x509 -subject} shows it. */
  public static String describe(X500Name name) {
    return name.toString().replace(",", ", ");
  }

  public static String describe(X509Certificate certificate) {
    return describe(subjectOf(certificate));
  }

  /**
   * The same with the CN masked ("CN=b7f3****"): a thing's CN is its thing key on Mainflux, a
   * secret that output and logs must not show in full.
   */
  public static String describeMasked(X500Name name) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    for (org.bouncycastle.asn1.x500.RDN rdn : name.getRDNs()) {
      for (org.bouncycastle.asn1.x500.AttributeTypeAndValue value : rdn.getTypesAndValues()) {
        builder.addRDN(value.getType(), value.getType().equals(BCStyle.CN)
            ? Thing.mask(IETFUtils.valueToString(value.getValue()))
            : value.getValue().toString());
      }
    }
    return describe(builder.build());
  }

  /**
   * How output names a certificate's subject: masked for a thing's (client) certificate, whose CN is
   * the thing key on Mainflux; in full for CAs and servers.
   */
  public static String describeForOutput(X509Certificate certificate) {
    return isClientCertificate(certificate) ? describeMasked(subjectOf(certificate)) : describe(certificate);
  }

  /** An end-entity certificate not meant for servers: a thing's. */
  public static boolean isClientCertificate(X509Certificate certificate) {
    if (certificate.getBasicConstraints() >= 0) return false;
    try {
      java.util.List<String> usages = certificate.getExtendedKeyUsage();
      return usages == null || !usages.contains("1.3.6.1.5.5.7.3.1");
    } catch (java.security.cert.CertificateParsingException e) {
      return true;
    }
  }
}
