package io.thingstorm.benchmarks;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The set-up cost one device pays before its first connection, which a fleet of 10,000 in one JVM
 * pays 10,000 times: parse the certificate and private key PEM into a {@link ThingIdentity} (which
 * also checks that the key belongs to the certificate and that it is valid now), and build its
 * {@link SSLContext} from the fleet's shared {@link TlsSettings}.
 *
 * <p>Reading the figure: microseconds per device on one thread. {@code identity} is the PEM parsing
 * and checks alone, {@code identityAndSslContext} the whole set-up; their difference is the
 * SSLContext. Params: the key as {@code <key type>/<format>}: PKCS#1 (RSA PRIVATE KEY), SEC1 (EC
 * PRIVATE KEY), PKCS#8, and encrypted PKCS#8 (AES-256-CBC, PBKDF2-HMAC-SHA256: its key derivation
 * dominates, by design); the SSLContext's provider.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class IdentityLoadBenchmark {
  @Param({"ec-p256/sec1", "ec-p256/pkcs8", "ec-p256/pkcs8-encrypted", "rsa-2048/pkcs1", "rsa-2048/pkcs8", "ed25519/pkcs8"})
  public String key;

  @Param({"JDK", "CONSCRYPT"})
  public String contextProvider;

  private static final char[] PASSWORD = "benchmark-password".toCharArray();
  private String certificatePem;
  private String keyPem;
  private char[] password;
  private TlsSettings settings;

  @Setup
  public void setUp() {
    String[] parts = key.split("/", 2);
    if (parts.length != 2) throw new IllegalArgumentException("key is <key type>/<format>, not " + key);
    KeyType type = KeyType.parse(parts[0]);
    boolean encrypted = parts[1].equals("pkcs8-encrypted");
    KeyFormat format = encrypted ? KeyFormat.PKCS8 : KeyFormat.parse(parts[1]);
    format.requireFits(type);
    CertificateAuthority ca = CertificateAuthority.createRoot("thingstorm benchmark CA", KeyType.EC_P256, 365);
    CertifiedKey thing = ca.issueThing(UUID.randomUUID().toString(), type, 365); // under 30 days left, the client warns
    certificatePem = Pem.certificates(thing.chain());
    password = encrypted ? PASSWORD : null;
    keyPem = Pem.privateKey(thing.privateKey(), format, password);
    settings = TlsSettings.builder()
        .trust(TrustMaterial.of(List.of(ca.certificate()), false))
        .provider(TlsProvider.parse(contextProvider))
        .build();
    identityAndSslContext(); // fails here, in one line, when this key does not load
  }

  @Benchmark
  public ThingIdentity identity() {
    return ThingIdentity.builder().certificatePem(certificatePem).privateKeyPem(keyPem).keyPassword(password).build();
  }

  @Benchmark
  public SSLContext identityAndSslContext() {
    return settings.forIdentity(identity()).sslContext();
  }
}
