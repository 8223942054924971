package io.thingstorm.loadgen.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshake storms against a real openssl s_server that requires a client certificate. */
class HandshakeStormTest {
  @TempDir static Path dir;
  static TestPki pki;
  static ThingIdentity thing;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir);
    thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("thing-1", KeyType.EC_P256, 30)).build();
  }

  private static HandshakeStorm.Builder storm(int port, boolean resume, String version) {
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).versions(version)
        .sessionResumption(resume).provider(TlsProvider.JDK).build();
    return HandshakeStorm.builder().target("127.0.0.1", port).tls(tls).identities(List.of(thing))
        .concurrency(1).warmup(Duration.ofMillis(300)).duration(Duration.ofSeconds(2));
  }

  @Test
  void fullHandshakesSucceedAndNoneIsResumed() {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, false, "1.3").build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.succeeded()).isGreaterThanOrEqualTo(10);
      assertThat(result.resumed()).isZero();
      assertThat(server.reusedSessions()).isZero();
      assertThat(result.latency().getTotalCount()).isEqualTo(result.succeeded());
      assertThat(result.workerCpuNanos()).isPositive();
      assertThat(result.negotiated()).startsWith("TLSv1.3");
    }
  }

  @Test
  void resumptionUnderTls12IsDetectedAsTheServerSeesIt() {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, true, "1.2").build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.succeeded()).isGreaterThanOrEqualTo(10);
      assertThat(result.resumedShare()).isGreaterThan(0.5);
      // The server counts the warm-up's resumptions too: at least as many as the client counted.
      assertThat(server.reusedSessions()).isGreaterThanOrEqualTo(result.resumed());
    }
  }

  @Test
  void resumptionUnderTls13TakesTheTicketsAfterTheHandshake() {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, true, "1.3").ticketWait(Duration.ofMillis(20)).build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.resumedShare()).isGreaterThan(0.5);
      assertThat(server.reusedSessions()).isGreaterThanOrEqualTo(result.resumed());
    }
  }

  @Test
  void aCertificateFromAnotherCaIsCountedAsRefused() {
    CertificateAuthority stranger = CertificateAuthority.createRoot("another CA", KeyType.EC_P256, 30);
    ThingIdentity foreign = ThingIdentity.builder().certifiedKey(stranger.issueThing("stranger", KeyType.EC_P256, 30)).build();
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, false, "1.2").identities(List.of(foreign)).build().run();

      assertThat(result.succeeded()).isZero();
      assertThat(result.failed()).isGreaterThanOrEqualTo(5);
      assertThat(result.failures()).containsOnlyKeys(FailureKind.UNKNOWN_CA);
    }
  }
}
