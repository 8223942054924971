package io.thingstorm.benchmarks;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What issuing one thing certificate costs, as {@code thingstorm certs bulk} and the load generator's
 * in-memory fleets do it: a new key pair of the thing's key type, the certificate signed by an
 * ec-p256 CA (thingstorm's default), and both written as PEM (certificate, PKCS#8 key).
 *
 * <p>Reading the figure: milliseconds per thing on one thread; 1000 / score is things per second per
 * core. RSA key generation searches for primes: its time varies a lot from one key to the next, so
 * its error is wide, and rsa-4096 needs many iterations to mean anything. Compare with the
 * {@code openssl req} + {@code openssl x509 -req} loop of the platforms' Makefiles (about 19 ec-p256
 * certificates per second here, mostly process start-up).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class IssueBenchmark {
  @Param({"ec-p256", "ec-p384", "rsa-2048", "rsa-4096", "ed25519"})
  public String keyType;

  private KeyType type;
  private CertificateAuthority ca;

  @Setup
  public void setUp() {
    type = KeyType.parse(keyType);
    ca = CertificateAuthority.createRoot("thingstorm benchmark CA", KeyType.EC_P256, 30);
  }

  @Benchmark
  public String issueThing() {
    CertifiedKey thing = ca.issueThing(UUID.randomUUID().toString(), type, 365);
    return Pem.certificate(thing.certificate()) + Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, null);
  }
}
