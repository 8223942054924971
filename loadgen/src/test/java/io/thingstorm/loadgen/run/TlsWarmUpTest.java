package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshakes a run makes in its own JVM, with a device's identity and settings, before it connects anything. */
class TlsWarmUpTest {
  static final CertificateAuthority PLATFORM_CA = CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 1);

  static ThingIdentity device(KeyType keyType) {
    CertificateAuthority ca = CertificateAuthority.createRoot("fleet CA", keyType, 1);
    return ThingIdentity.builder().certifiedKey(ca.issueThing("warm-thing-key", keyType, 1)).thingId("warm-thing").thingKey("warm-thing-key").build();
  }

  static TlsSettings.Builder platformSettings() {
    return TlsSettings.builder().trust(TrustMaterial.of(List.of(PLATFORM_CA.certificate()), false));
  }

  @Test
  void makesTheHandshakesAskedWithTheDevicesKey() {
    TlsWarmUp.Outcome outcome = TlsWarmUp.run(platformSettings().build(), device(KeyType.EC_P256), 40, 2, Duration.ofSeconds(30));

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.handshakes()).isEqualTo(40);
    assertThat(outcome.note()).startsWith("warm-up: 40 TLS handshakes");
  }

  @Test
  void followsTheSettings_tls12AnRsaKeyAndAnSniName() {
    TlsSettings cybusLike = platformSettings().tls12Only().sniHostName("platform.example.com").build();

    TlsWarmUp.Outcome outcome = TlsWarmUp.run(cybusLike, device(KeyType.RSA_2048), 10, 1, Duration.ofSeconds(30));

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.handshakes()).isEqualTo(10);
  }

  @Test
  void stopsAtItsTimeBudget() {
    TlsWarmUp.Outcome outcome = TlsWarmUp.run(platformSettings().build(), device(KeyType.EC_P256), 1_000_000, 2, Duration.ofMillis(500));

    assertThat(outcome.handshakes()).isPositive().isLessThan(1_000_000);
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aHandshakeItCannotMakeEndsTheWarmUpNotTheRun() {
    // A TLS 1.3 suite with TLS 1.2 only: no handshake can succeed.
    TlsSettings impossible = platformSettings().tls12Only().cipherSuites("TLS_AES_128_GCM_SHA256").build();

    TlsWarmUp.Outcome outcome = TlsWarmUp.run(impossible, device(KeyType.EC_P256), 10, 2, Duration.ofSeconds(30));

    assertThat(outcome.handshakes()).isZero();
    assertThat(outcome.failure()).isNotBlank();
    assertThat(outcome.note()).contains("(stopped: ");
  }
}
