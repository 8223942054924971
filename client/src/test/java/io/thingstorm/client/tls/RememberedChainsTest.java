package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateRole;
import io.thingstorm.certs.CertificateSpec;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testing.Nginx;
import io.thingstorm.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server chain accepted once is taken again without a PKIX check, and nothing else is: against
 * real nginx servers that show the accepted chain, another chain of the same CA, a chain of another
 * CA, and a chain that expires during the test; with the JDK's provider and Conscrypt.
 */
class RememberedChainsTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Nginx accepted;
  static Nginx sameCaOtherChain;
  static Nginx otherCa;
  static Nginx shortLived;

  @BeforeAll
  static void startServers() {
    pki = TestPki.create(dir);
    String ok = "location / { return 200; }";
    accepted = Nginx.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), ok);
    Path second = write("second", pki.ca.issueServer("localhost", List.of("localhost"), List.of(), KeyType.EC_P256, 30));
    sameCaOtherChain = Nginx.start(dir, pki.caFile(), second.resolve("second.crt"), second.resolve("second.key"), ok);
    TestPki stranger = TestPki.create(dir.resolve("stranger"), "another CA");
    otherCa = Nginx.start(dir, pki.caFile(), stranger.serverCert(), stranger.serverKey(), ok);
  }

  private static Path write(String name, CertifiedKey key) {
    Path folder = dir.resolve(name);
    CaDirectory.at(folder).write(name, key, KeyFormat.PKCS8, null, false);
    return folder;
  }

  @AfterAll
  static void stopServers() {
    for (Nginx nginx : new Nginx[] {accepted, sameCaOtherChain, otherCa, shortLived}) {
      if (nginx != null) nginx.close();
    }
  }

  @Test
  void onlyTheSameValidChainForTheSameHostIsTakenWithoutACheck() throws Exception {
    for (TlsProvider provider : new TlsProvider[] {TlsProvider.JDK, TlsProvider.CONSCRYPT}) {
      String label = provider.name();
      TrustMaterial trust = TrustMaterial.fromBundle(pki.caFile());
      TlsSettings settings = TlsSettings.builder().trust(trust).provider(provider).sessionResumption(false).build();
      RememberingTrustManager memory = (RememberingTrustManager) trust.rememberingTrustManager(provider);
      ThingTls thing = settings.forIdentity(thing());

      handshake(thing, "localhost", accepted.port);
      handshake(thing, "localhost", accepted.port);
      handshake(settings.forIdentity(thing()), "localhost", accepted.port); // another device, same trust material
      assertThat(memory.remembered()).as(label).isEqualTo(1);
      assertThat(memory.checked()).as(label).isEqualTo(1);

      // Another valid chain of the same CA is checked, then remembered too.
      handshake(thing, "localhost", sameCaOtherChain.port);
      assertThat(memory.remembered()).as(label).isEqualTo(2);
      assertThat(memory.checked()).as(label).isEqualTo(2);

      // Another CA's chain is refused, every time, and never remembered.
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> handshake(thing, "localhost", otherCa.port)).as(label)
            .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_UNTRUSTED));
      }
      assertThat(memory.remembered()).as(label).isEqualTo(2);
      assertThat(memory.checked()).as(label).isEqualTo(4);

      // The remembered chain under another name is checked again, and refused: that server's
      // certificate names localhost alone.
      assertThatThrownBy(() -> handshake(thing, "127.0.0.1", sameCaOtherChain.port)).as(label)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).as(e.getMessage() + " / " + e.getCause()).isEqualTo(FailureKind.HOSTNAME_MISMATCH));
      assertThat(memory.checked()).as(label).isEqualTo(5);

      // Switched off, the memory is not asked: every handshake goes to the provider's own check.
      ThingTls plain = settings.newBuilder().rememberAcceptedChains(false).build().forIdentity(thing());
      handshake(plain, "localhost", accepted.port);
      assertThat(plain.trustManager()).as(label).isNotInstanceOf(RememberingTrustManager.class);
      assertThat(memory.checked()).as(label).isEqualTo(5);
    }
  }

  @Test
  void aRememberedChainIsRefusedOnceItExpires() throws Exception {
    TrustMaterial trust = TrustMaterial.fromBundle(pki.caFile());
    List<ThingTls> things = List.of(
        TlsSettings.builder().trust(trust).provider(TlsProvider.JDK).sessionResumption(false).build().forIdentity(thing()),
        TlsSettings.builder().trust(trust).provider(TlsProvider.CONSCRYPT).sessionResumption(false).build().forIdentity(thing()));
    for (ThingTls thing : things) handshake(thing, "localhost", accepted.port);
    // X.509 times are whole seconds: this one ends one to two seconds from now, after
    // both providers' first (slow) handshakes.
    Instant end = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    CertificateSpec spec = CertificateSpec.builder(CertificateRole.SERVER).commonName("localhost").dnsName("localhost")
        .ipAddress("127.0.0.1").validity(Instant.now().minusSeconds(60), end).build();
    Path brief = write("brief", pki.ca.issue(spec, KeyType.EC_P256));
    shortLived = Nginx.start(dir, pki.caFile(), brief.resolve("brief.crt"), brief.resolve("brief.key"), "location / { return 200; }");
    for (ThingTls thing : things) handshake(thing, "localhost", shortLived.port);
    for (TlsProvider provider : new TlsProvider[] {TlsProvider.JDK, TlsProvider.CONSCRYPT}) {
      assertThat(((RememberingTrustManager) trust.rememberingTrustManager(provider)).remembered()).isEqualTo(2);
    }
    long wait = end.toEpochMilli() + 1_100 - System.currentTimeMillis();
    if (wait > 0) Thread.sleep(wait);
    for (ThingTls thing : things) {
      assertThatThrownBy(() -> handshake(thing, "localhost", shortLived.port)).as(thing.settings().provider().name())
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_CERT_INVALID));
    }
  }

  private static ThingIdentity thing() {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing("remembering", KeyType.EC_P256, 60)).build();
  }

  private static void handshake(ThingTls tls, String host, int port) {
    try (SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(5_000);
      socket.startHandshake();
    } catch (IOException | RuntimeException e) {
      throw Failures.classify(e);
    }
  }
}
