package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's TLS with Conscrypt's ECDSA beneath it, against a real mosquitto (OpenSSL). */
class ConscryptSignaturesTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  @AfterEach
  void backToTheJdksOwn() {
    ConscryptSignatures.uninstall();
  }

  static ThingIdentity thing(String key, KeyType type) {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing(key, type, 90)).build();
  }

  @Test
  void theJdksTlsSignsAndChecksWithConscryptOnceInstalled() {
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    assertThat(ConscryptSignatures.install()).isTrue();
    assertThat(ConscryptSignatures.install()).as("a second install changes nothing").isTrue();
    assertThat(Security.getProviders()[0].getName()).isEqualTo(ConscryptSignatures.PROVIDER_NAME);

    for (TlsSettings tls : new TlsSettings[] {jdk, jdk.newBuilder().tls12Only().build()}) {
      long before = ConscryptSignatures.signaturesMade();
      TlsProvidersAndVersionsTest.connect(tls, thing("ecdsa-" + tls.versions().get(0), KeyType.EC_P256), broker.tlsPort);
      // The client's CertificateVerify (TLS 1.3) or its signature over the handshake (1.2), and the
      // check of the server's own signature: at least two.
      assertThat(ConscryptSignatures.signaturesMade() - before).as(tls.versions().toString()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void keysConscryptDoesNotTakeStayWithTheJdk() throws Exception {
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    ConscryptSignatures.install();
    TlsProvidersAndVersionsTest.connect(jdk, thing("rsa-under-ecdsa", KeyType.RSA_2048), broker.tlsPort);
    TlsProvidersAndVersionsTest.connect(jdk, thing("ed25519-under-ecdsa", KeyType.ED25519), broker.tlsPort);
    TlsProvidersAndVersionsTest.connect(jdk, thing("p384-under-ecdsa", KeyType.EC_P384), broker.tlsPort);

    // Nothing but ECDSA signatures comes from it: key generation is still the JDK's.
    assertThat(KeyPairGenerator.getInstance("EC").getProvider().getName()).isEqualTo("SunEC");
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(pki.ca.issueThing("rsa-sig", KeyType.RSA_2048, 1).privateKey());
    assertThat(rsa.getProvider().getName()).isNotEqualTo(ConscryptSignatures.PROVIDER_NAME);
  }

  @Test
  void anUnknownCaIsStillNamedSo() {
    ConscryptSignatures.install();
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    TestPki other = TestPki.create(dir.resolve("other"), "another CA");
    ThingIdentity stranger = ThingIdentity.builder().certifiedKey(other.ca.issueThing("stranger", KeyType.EC_P256, 90)).build();
    assertThatThrownBy(() -> TlsProvidersAndVersionsTest.connect(jdk, stranger, broker.tlsPort))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNKNOWN_CA));
  }

  @Test
  void uninstalledTheJdksOwnEcdsaSignsAgain() {
    ConscryptSignatures.install();
    ConscryptSignatures.uninstall();
    assertThat(ConscryptSignatures.isInstalled()).isFalse();
    long before = ConscryptSignatures.signaturesMade();
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    TlsProvidersAndVersionsTest.connect(jdk, thing("plain-jdk", KeyType.EC_P256), broker.tlsPort);
    assertThat(ConscryptSignatures.signaturesMade()).isEqualTo(before);
  }

  @Test
  void aThingSetUpUnderConscryptsEcdsaStillSignsWithTheJdksOnceItIsTakenOut() {
    // Under Conscrypt's ECDSA a thing's key is held in Conscrypt's form; the JDK's ECDSA must take it too.
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    ConscryptSignatures.install();
    ThingIdentity thing = thing("set-up-under-conscrypt", KeyType.EC_P256);
    ThingTls tls = jdk.forIdentity(thing);
    ConscryptSignatures.uninstall();

    long before = ConscryptSignatures.signaturesMade();
    try (io.thingstorm.client.Transport transport = new io.thingstorm.client.mqtt.Mqtt3Transport(io.thingstorm.client.TransportConfig.builder()
        .url(java.net.URI.create("mqtts://localhost:" + broker.tlsPort)).identity(thing).tls(tls).build())) {
      transport.connect();
      assertThat(transport.isConnected()).isTrue();
    }
    assertThat(ConscryptSignatures.signaturesMade()).isEqualTo(before);
  }
}
