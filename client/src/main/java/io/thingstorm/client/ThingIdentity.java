package io.thingstorm.client;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.CommonName;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who a thing is: its certificate chain and private key, its thing id and its thing key (by default
 * the certificate's CN, as Mainflux and Cybus expect). Built once, checked once: a key that does
 * not match, or a certificate that is expired or not yet valid, fails here rather than in a TLS
 * handshake. {@link #toString()} masks the key.
 */
public final class ThingIdentity {
  /** Told when a certificate has fewer than 30 days left; by default a warning in the System.Logger. */
  @FunctionalInterface
  public interface ExpiryListener {
    void expiresSoon(ThingIdentity identity, Duration left);
  }

  static final Duration WARN_BEFORE = Duration.ofDays(30);
  private static final System.Logger LOG = System.getLogger(ThingIdentity.class.getName());
  private static final ExpiryListener LOG_WARNING = (identity, left) -> LOG.log(System.Logger.Level.WARNING,
      "the certificate of thing {0} expires in {1} days, on {2}", identity.displayName(), left.toDays(),
      identity.certificate().getNotAfter().toInstant());

  private final List<X509Certificate> chain;
  private final EncodedPrivateKey privateKey;
  private final String thingId;
  private final String thingKey;

  private ThingIdentity(List<X509Certificate> chain, PrivateKey privateKey, String thingId, String thingKey) {
    this.chain = chain;
    this.privateKey = EncodedPrivateKey.of(privateKey);
    this.thingId = thingId;
    this.thingKey = thingKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The identity in a certificate file and an unencrypted key file; the thing key is the CN. */
  public static ThingIdentity fromFiles(Path certificateFile, Path keyFile) {
    return builder().certificateFile(certificateFile).privateKeyFile(keyFile).build();
  }

  /** The certificate first, then its intermediates: what TLS sends. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The private key; held encoded, so each call makes a new key object (the JDK's, for the usual key types). */
  public PrivateKey privateKey() {
    return privateKey.key();
  }

  /** The thing's id (Mainflux MQTT user name); the thing key when none was given. */
  public String thingId() {
    return thingId;
  }

  /** The thing key (Mainflux MQTT password, HTTP Authorization). Do not log it: see {@link #maskedThingKey()}. */
  public String thingKey() {
    return thingKey;
  }

  public String maskedThingKey() {
    return Thing.mask(thingKey);
  }

  /** The thing id for logs and output: masked when it is the thing key itself. */
  public String displayName() {
    return thingId.equals(thingKey) ? Thing.mask(thingId) : thingId;
  }

  /** The certificate's CN, or empty: with Mainflux it is the thing key, with Cybus the user name. */
  public String commonName() {
    return CommonName.of(certificate()).orElse("");
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  @Override
  public String toString() {
    return "ThingIdentity[id " + displayName() + ", key " + maskedThingKey()
        + ", " + privateKey.algorithm() + ", valid until " + notAfter() + "]";
  }

  /** Reads and checks an identity. */
  public static final class Builder {
    private List<X509Certificate> chain;
    private PrivateKey privateKey;
    private Path certificateFile;
    private String certificatePem;
    private Path keyFile;
    private String keyPem;
    private PasswordSource passwords = PasswordSource.none();
    private String thingId;
    private String thingKey;
    private boolean checkValidity = true;
    private Clock clock = Clock.systemUTC();
    private ExpiryListener expiryListener = LOG_WARNING;

    private Builder() {}

    /** A PEM file with the thing's certificate, optionally followed by its intermediates. */
    public Builder certificateFile(Path file) {
      this.certificateFile = Objects.requireNonNull(file);
      return this;
    }

    public Builder certificatePem(String pem) {
      this.certificatePem = Objects.requireNonNull(pem);
      return this;
    }

    /** A PEM key file: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1. */
    public Builder privateKeyFile(Path file) {
      this.keyFile = Objects.requireNonNull(file);
      return this;
    }

    public Builder privateKeyPem(String pem) {
      this.keyPem = Objects.requireNonNull(pem);
      return this;
    }

    /** For an encrypted key. */
    public Builder keyPassword(char[] password) {
      return keyPasswords(PasswordSource.of(password));
    }

    public Builder keyPasswords(PasswordSource passwords) {
      this.passwords = Objects.requireNonNull(passwords);
      return this;
    }

    /** A chain and key already in memory, such as one just issued by the certs toolkit. */
    public Builder certifiedKey(CertifiedKey key) {
      this.chain = key.chain();
      this.privateKey = key.privateKey();
      return this;
    }

    public Builder thingId(String thingId) {
      this.thingId = thingId;
      return this;
    }

    /** The thing key; by default the certificate's CN. */
    public Builder thingKey(String thingKey) {
      this.thingKey = thingKey;
      return this;
    }

    /**
     * Skips the expired / not-yet-valid check, to see what a server says about such a certificate.
     * The key-match check always runs.
     */
    public Builder skipValidityCheck() {
      this.checkValidity = false;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Who hears that the certificate expires soon (fewer than 30 days left). */
    public Builder expiryListener(ExpiryListener listener) {
      this.expiryListener = Objects.requireNonNull(listener);
      return this;
    }

    /** Reads and checks; fails with a one-line {@link DeviceException}. */
    public ThingIdentity build() {
      List<X509Certificate> certificates = chain;
      PrivateKey key = privateKey;
      try {
        if (certificateFile != null) certificates = Pem.readCertificates(certificateFile);
        else if (certificatePem != null) certificates = Pem.parseCertificates(certificatePem, "the certificate PEM");
        if (keyFile != null) key = Pem.readPrivateKey(keyFile, passwords);
        else if (keyPem != null) key = Pem.parsePrivateKey(keyPem, "the private key PEM", passwords);
      } catch (CertsException e) {
        throw new DeviceException(FailureKind.INVALID_IDENTITY, e.getMessage(), e);
      }
      if (certificates == null) throw new DeviceException(FailureKind.INVALID_IDENTITY, "no certificate given");
      if (key == null) throw new DeviceException(FailureKind.INVALID_IDENTITY, "no private key given");
      X509Certificate certificate = certificates.get(0);
      String source = certificateFile != null ? certificateFile.toString() : "the certificate";
      if (!KeyPairCheck.matches(certificate, key)) {
        throw new DeviceException(FailureKind.KEY_MISMATCH,
            (keyFile != null ? keyFile + " does not belong to " : "the key does not belong to ") + source);
      }
      boolean pssKey = key.getAlgorithm().equals("RSASSA-PSS");
      if (pssKey != certificate.getPublicKey().getAlgorithm().equals("RSASSA-PSS")) {
        // The same modulus, but the JDK's TLS then sends no certificate, and openssl calls it a mismatch.
        throw new DeviceException(FailureKind.KEY_MISMATCH, (keyFile != null ? keyFile.toString() : "the key") + " is "
            + (pssKey ? "an RSA-PSS key, and " + source + " names its key rsaEncryption" : "a plain RSA key, and " + source + " names its key RSA-PSS")
            + ": have the certificate issued again from a CSR made for this key");
      }
      Instant now = clock.instant();
      Instant notBefore = certificate.getNotBefore().toInstant();
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (checkValidity && now.isAfter(notAfter)) {
        throw new DeviceException(FailureKind.CERT_EXPIRED, source + " expired on " + notAfter);
      }
      if (checkValidity && now.isBefore(notBefore)) {
        throw new DeviceException(FailureKind.CERT_NOT_YET_VALID, source + " is valid from " + notBefore);
      }
      String cn = CommonName.of(certificate).orElse(null);
      String key_ = thingKey != null ? thingKey : cn;
      if (key_ == null || key_.isBlank()) {
        throw new DeviceException(FailureKind.INVALID_IDENTITY, source + " has no CN and no thing key was given");
      }
      String id = thingId != null && !thingId.isBlank() ? thingId : key_;
      // Checked above in the parsed form; held compactly from here on (a connected device keeps it all along).
      ThingIdentity identity = new ThingIdentity(certificates.stream().map(CompactCertificate::of).toList(), key, id, key_);
      Duration left = Duration.between(now, notAfter);
      if (!left.isNegative() && left.compareTo(WARN_BEFORE) < 0) expiryListener.expiresSoon(identity, left);
      return identity;
    }
  }
}
