package io.thingstorm.certs;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * What to put in a certificate: subject, validity, serial, role and SANs. Built with {@link
 * #builder(CertificateRole)}; the issuing {@link CertificateAuthority} adds the issuer and signs.
 */
public final class CertificateSpec {
  /** Backdating absorbs small clock differences between the issuer and the platform. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private final CertificateRole role;
  private final X500Name subject;
  private final Instant notBefore;
  private final Instant notAfter;
  private final BigInteger serial;
  private final SubjectAltNames altNames;

  private CertificateSpec(Builder b) {
    this.role = b.role;
    if (b.subject == null) throw new CertsException("a certificate needs a subject (a CN at least)");
    this.subject = b.subject;
    Instant now = Instant.now();
    this.notBefore = b.notBefore != null ? b.notBefore : now.minus(BACKDATE);
    this.notAfter = b.notAfter != null ? b.notAfter : now.plus(Duration.ofDays(b.days));
    if (!notAfter.isAfter(notBefore)) throw new CertsException("the certificate would end before it starts");
    this.serial = b.serial != null ? b.serial : randomSerial();
    this.altNames = SubjectAltNames.of(b.altNames);
  }

  public static Builder builder(CertificateRole role) {
    return new Builder(role);
  }

  /** 127 random bits: positive, unique in practice, and within RFC 5280's 20 octets. */
  static BigInteger randomSerial() {
    return new BigInteger(127, Randomness.current()).setBit(126);
  }

  public CertificateRole role() {
    return role;
  }

  public X500Name subject() {
    return subject;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  public BigInteger serial() {
    return serial;
  }

  /** Host names, IP addresses and the like, for the subjectAltName extension. */
  public SubjectAltNames altNames() {
    return altNames;
  }

  public static final class Builder {
    private final CertificateRole role;
    private X500Name subject;
    private long days = 365;
    private Instant notBefore;
    private Instant notAfter;
    private BigInteger serial;
    private final List<GeneralName> altNames = new ArrayList<>();

    private Builder(CertificateRole role) {
      this.role = role;
    }

    public Builder commonName(String commonName) {
      return subject(Subjects.of(commonName, null, null));
    }

    public Builder subject(X500Name subject) {
      this.subject = subject;
      return this;
    }

    /** Valid from now (less a few minutes of backdating) for this many days. */
    public Builder days(long days) {
      if (days < 1) throw new CertsException("days must be at least 1, not " + days);
      // X.509's GeneralizedTime ends at the year 9999; Bouncy Castle fails obscurely past it.
      if (days > 2_000_000) throw new CertsException("days must be at most 2000000, not " + days);
      this.days = days;
      return this;
    }

    /** An explicit validity window, for certificates that are expired or not yet valid on purpose. */
    public Builder validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    public Builder serial(BigInteger serial) {
      if (serial.signum() <= 0) throw new CertsException("the serial must be positive, not " + serial);
      if (serial.bitLength() > 159) throw new CertsException("the serial is longer than 20 octets");
      this.serial = serial;
      return this;
    }

    public Builder dnsName(String name) {
      altNames.add(SubjectAltNames.dns(name));
      return this;
    }

    /** An IP address SAN; a literal only, never a name lookup. */
    public Builder ipAddress(String literal) {
      altNames.add(SubjectAltNames.ip(literal));
      return this;
    }

    public Builder altNames(SubjectAltNames names) {
      altNames.addAll(names.names());
      return this;
    }

    public CertificateSpec build() {
      return new CertificateSpec(this);
    }
  }
}
