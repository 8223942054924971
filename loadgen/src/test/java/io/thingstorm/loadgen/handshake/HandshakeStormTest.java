package io.thingstorm.loadgen.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
    return storm(port, resume, version, TlsProvider.JDK);
  }

  private static HandshakeStorm.Builder storm(int port, boolean resume, String version, TlsProvider provider) {
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).versions(version)
        .sessionResumption(resume).provider(provider).build();
    return HandshakeStorm.builder().target("127.0.0.1", port).tls(tls).identities(List.of(thing))
        .concurrency(1).warmup(Duration.ofMillis(300)).duration(Duration.ofMillis(1500));
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
  void fullHandshakesSucceedAndNoneIsResumed(TlsProvider provider) {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, false, "1.3", provider).build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.succeeded()).isGreaterThanOrEqualTo(10);
      assertThat(result.resumed()).isZero();
      assertThat(server.reusedSessions()).isZero();
      assertThat(result.latency().getTotalCount()).isEqualTo(result.succeeded());
      assertThat(result.workerCpuNanos()).isPositive();
      assertThat(result.negotiated()).startsWith("TLSv1.3");
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
  void resumptionUnderTls12IsDetectedAsTheServerSeesIt(TlsProvider provider) {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, true, "1.2", provider).build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.succeeded()).isGreaterThanOrEqualTo(10);
      assertThat(result.resumedShare()).isGreaterThan(0.5);
      // The server also counts the warm-up's: at least the client's count, at most that plus the warm-up.
      assertThat(server.reusedSessions()).isBetween(result.resumed(), result.resumed() + warmupHandshakes(result));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
  void resumptionUnderTls13TakesTheTicketsAfterTheHandshake(TlsProvider provider) {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, true, "1.3", provider).ticketWait(Duration.ofMillis(20)).build().run();

      assertThat(result.failures()).isEmpty();
      assertThat(result.resumedShare()).isGreaterThan(0.5);
      assertThat(server.reusedSessions()).isBetween(result.resumed(), result.resumed() + warmupHandshakes(result));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
  void underTls13ARefusalIsSeenByReadingAfterTheHandshake(TlsProvider provider) {
    CertificateAuthority stranger = CertificateAuthority.createRoot("another CA", KeyType.EC_P256, 30);
    ThingIdentity foreign = ThingIdentity.builder().certifiedKey(stranger.issueThing("stranger", KeyType.EC_P256, 30)).build();
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      // Long enough for the server's alert on a busy machine: Conscrypt reads until the time limit.
      HandshakeResult result = storm(server.port, false, "1.3", provider).identities(List.of(foreign))
          .ticketWait(Duration.ofMillis(150)).build().run();

      assertThat(result.succeeded()).isZero();
      assertThat(result.failures()).containsOnlyKeys(FailureKind.UNKNOWN_CA);
    }
  }

  @Test
  void underARateTheDueHandshakesAreMadeAndTheTextSaysSo() {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      HandshakeResult result = storm(server.port, false, "1.2").rate(40).concurrency(2).build().run();

      // 1.5 s counted at 40/s: 60 due, give or take the one at the window's edge.
      assertThat(result.succeeded() + result.failed()).isBetween(59L, 61L);
      assertThat(result.failures()).isEmpty();
      assertThat(HandshakeReport.text(result)).contains("40/s due (open model) on 2 workers").contains("generator lag");
    }
  }

  /** A generous bound on the handshakes of the 300 ms warm-up: the counted window's rate, doubled, plus slack. */
  private static long warmupHandshakes(HandshakeResult result) {
    return (long) (result.handshakesPerSecond() * 0.6) + 50;
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

  @Test
  void onlyTheKeyExchangeGroupsGivenAreOffered() {
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), "-groups", "X25519")) {
      TlsSettings.Builder tls = TlsSettings.builder().caBundle(pki.caFile()).versions("1.3").provider(TlsProvider.JDK);

      HandshakeResult p384 = storm(server.port, false, "1.3").tls(tls.namedGroups("secp384r1").build()).build().run();
      assertThat(p384.succeeded()).isZero();
      assertThat(p384.failed()).isPositive();

      HandshakeResult x25519 = storm(server.port, false, "1.3").tls(tls.namedGroups("x25519").build()).build().run();
      assertThat(x25519.failures()).isEmpty();
      assertThat(x25519.succeeded()).isGreaterThanOrEqualTo(10);
    }
  }

  /** Conscrypt takes no groups through SSLParameters: it would offer its own, so asking is refused. */
  @Test
  void conscryptCannotBeToldItsGroups() {
    TlsSettings.Builder tls = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.CONSCRYPT).namedGroups("secp384r1");

    assertThatThrownBy(tls::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Conscrypt cannot be told");
  }
}
