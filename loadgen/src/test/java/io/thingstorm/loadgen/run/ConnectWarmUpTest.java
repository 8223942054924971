package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The connects a run makes in its own JVM, with a device's identity and settings, before it connects anything. */
class ConnectWarmUpTest {
  static final CertificateAuthority PLATFORM_CA = CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 1);

  static ThingIdentity device(KeyType keyType) {
    CertificateAuthority ca = CertificateAuthority.createRoot("fleet CA", keyType, 1);
    return ThingIdentity.builder().certifiedKey(ca.issueThing("warm-thing-key", keyType, 1)).thingId("warm-thing").thingKey("warm-thing-key").build();
  }

  static final PlatformProfile MAINFLUX = PlatformProfile.mainflux();

  static TlsSettings.Builder platformSettings() {
    return TlsSettings.builder().trust(TrustMaterial.of(List.of(PLATFORM_CA.certificate()), false));
  }

  @Test
  void makesTheHandshakesAskedWithTheDevicesKey() {
    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.TLS, platformSettings().build(), MAINFLUX, device(KeyType.EC_P256), 40, 2, Duration.ofSeconds(30), Duration.ZERO, () -> {});

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.connects()).isEqualTo(40);
    assertThat(outcome.note()).startsWith("warm-up: 40 TLS handshakes");
  }

  @Test
  void mqttFleetsWarmUpWithWholeMqttConnects() {
    AtomicInteger told = new AtomicInteger();
    ConnectWarmUp.Outcome v3 = ConnectWarmUp.run(ConnectWarmUp.Kind.mqtt(3), platformSettings().build(), MAINFLUX, device(KeyType.EC_P256), 20, 2, Duration.ofSeconds(60), Duration.ZERO, told::incrementAndGet);
    ConnectWarmUp.Outcome v5 = ConnectWarmUp.run(ConnectWarmUp.Kind.mqtt(5), platformSettings().build(), MAINFLUX, device(KeyType.EC_P256), 10, 2, Duration.ofSeconds(60), Duration.ZERO, () -> {});

    assertThat(v3.failure()).isNull();
    assertThat(v3.connects()).isEqualTo(20);
    assertThat(v3.note()).startsWith("warm-up: 20 MQTT 3.1.1 connects");
    assertThat(told).hasValue(20); // what live progress shows
    assertThat(v5.failure()).isNull();
    assertThat(v5.connects()).isEqualTo(10);
    assertThat(v5.note()).startsWith("warm-up: 10 MQTT 5 connects");
  }

  @Test
  void cybusSettingsWarmUpOverTls12() {
    TlsSettings cybus = platformSettings().tls12Only().sniHostName("connectware.example.com").build();

    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.mqtt(3), cybus, PlatformProfile.cybus(), device(KeyType.EC_P256), 5, 1, Duration.ofSeconds(60), Duration.ZERO, () -> {});

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.connects()).isEqualTo(5);
  }

  @Test
  void followsTheSettings_tls12AnRsaKeyAndAnSniName() {
    TlsSettings cybusLike = platformSettings().tls12Only().sniHostName("platform.example.com").build();

    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.TLS, cybusLike, MAINFLUX, device(KeyType.RSA_2048), 10, 1, Duration.ofSeconds(30), Duration.ZERO, () -> {});

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.connects()).isEqualTo(10);
  }

  @Test
  void stopsAtItsTimeBudget() {
    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.TLS, platformSettings().build(), MAINFLUX, device(KeyType.EC_P256), 1_000_000, 2, Duration.ofMillis(500), Duration.ZERO, () -> {});

    assertThat(outcome.connects()).isPositive().isLessThan(1_000_000);
    assertThat(outcome.took()).isLessThan(Duration.ofSeconds(10));
    assertThat(outcome.compiling()).isZero(); // no time to go on for the JIT
  }

  @Test
  void goesOnPastItsTimeOnlyWhileTheJitCompiles() {
    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.mqtt(3), platformSettings().build(), MAINFLUX, device(KeyType.EC_P256), 1_000_000, 2, Duration.ofMillis(500), Duration.ofSeconds(2), () -> {});

    assertThat(outcome.connects()).isPositive().isLessThan(1_000_000);
    // Stopped at 0.5 s if the JIT was idle, else when it was or at 2.5 s; the note says which.
    assertThat(outcome.took()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(10));
    assertThat(outcome.compiling()).isLessThanOrEqualTo(outcome.took().minusMillis(500));
    if (outcome.compiling().isPositive()) assertThat(outcome.note()).contains(" s while the JIT was still compiling), before the first connect");
  }

  @Test
  void aHandshakeItCannotMakeEndsTheWarmUpNotTheRun() {
    // A TLS 1.3 suite with TLS 1.2 only: no handshake can succeed.
    TlsSettings impossible = platformSettings().tls12Only().cipherSuites("TLS_AES_128_GCM_SHA256").build();

    ConnectWarmUp.Outcome outcome = ConnectWarmUp.run(ConnectWarmUp.Kind.TLS, impossible, MAINFLUX, device(KeyType.EC_P256), 10, 2, Duration.ofSeconds(30), Duration.ZERO, () -> {});

    assertThat(outcome.connects()).isZero();
    assertThat(outcome.failure()).isNotBlank();
    assertThat(outcome.note()).contains("(stopped: ");
  }
}
