package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.Device;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.http.HttpsTransport;
import io.thingstorm.testing.Nginx;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSSE providers and TLS versions against a real mosquitto, and an nginx that speaks TLS 1.2 only,
 * as Cybus Connectware's broker does (mosquitto's tls_version is a minimum, not a limit).
 */
class TlsProvidersAndVersionsTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;
  static Mosquitto tls12Broker;
  static Nginx tls12Only;

  @BeforeAll
  static void startBrokers() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
    tls12Broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), "tls_version tlsv1.2");
    tls12Only = Nginx.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), "location / { return 202; }", "TLSv1.2");
  }

  @AfterAll
  static void stopBrokers() {
    if (broker != null) broker.close();
    if (tls12Broker != null) tls12Broker.close();
    if (tls12Only != null) tls12Only.close();
  }

  static ThingIdentity thing(String key, KeyType type) {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing(key, type, 90)).build();
  }

  static void connect(TlsSettings tls, ThingIdentity thing, int port) {
    try (Transport transport = new Mqtt3Transport(TransportConfig.builder().url(URI.create("mqtts://localhost:" + port))
        .identity(thing).tls(tls.forIdentity(thing)).build())) {
      transport.connect();
      transport.publish("providers", null, "[{\"n\":\"x\",\"v\":1}]".getBytes(), Transport.SENML_JSON, 1, false);
    }
  }

  @ParameterizedTest
  @EnumSource(value = TlsProvider.class, names = {"CONSCRYPT", "BCJSSE"})
  void aProviderBesideTheJdksConnectsWithEcAndRsaKeysOverBothVersionsAndNamesUnknownCaLikeTheJdk(TlsProvider provider) {
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).build();
    connect(tls, thing(provider + "-ec", KeyType.EC_P256), broker.tlsPort);
    connect(tls, thing(provider + "-rsa", KeyType.RSA_2048), broker.tlsPort);
    connect(tls.newBuilder().tls12Only().build(), thing(provider + "-12", KeyType.EC_P256), tls12Broker.tlsPort);

    TestPki other = TestPki.create(dir.resolve("other-" + provider), "another CA");
    ThingIdentity stranger = ThingIdentity.builder().certifiedKey(other.ca.issueThing("stranger", KeyType.EC_P256, 90)).build();
    assertThatThrownBy(() -> connect(tls, stranger, broker.tlsPort))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNKNOWN_CA));
  }

  @Test
  void theJdkConnectsWithEveryKeyTypeOverBothVersions() {
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).build();
    for (KeyType type : new KeyType[] {KeyType.EC_P256, KeyType.EC_P384, KeyType.RSA_2048, KeyType.ED25519}) {
      connect(jdk, thing("jdk-" + type, type), broker.tlsPort);
      connect(jdk.newBuilder().tls12Only().build(), thing("jdk12-" + type, type), tls12Broker.tlsPort);
    }
  }

  @Test
  void aTls13OnlyClientAndATls12OnlyServerShareNoVersion() {
    TlsSettings tls13 = TlsSettings.builder().caBundle(pki.caFile()).versions("1.3").build();
    ThingIdentity thing = thing("v13", KeyType.EC_P256);
    try (Transport https = new HttpsTransport(TransportConfig.builder().url(URI.create("https://localhost:" + tls12Only.port))
        .identity(thing).tls(tls13.forIdentity(thing)).build())) {
      assertThatThrownBy(() -> https.publish("c", null, "[]".getBytes(), Transport.SENML_JSON, 0, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TLS_VERSION_REFUSED));
    }
  }

  @Test
  void theCybusProfileSpeaksTls12() {
    TlsSettings defaults = TlsSettings.builder().caBundle(pki.caFile()).build();
    try (Device device = Device.builder().url("https://localhost:" + tls12Only.port).identity(thing("device001", KeyType.EC_P256))
        .tls(defaults).profile(PlatformProfile.cybus()).build()) {
      assertThat(device.publish("factory", "[{\"n\":\"x\",\"v\":1}]".getBytes())).isEqualTo(Device.Delivery.ACKNOWLEDGED);
    }
  }

  @Test
  void tls10And11AreNeverOffered() {
    assertThatThrownBy(() -> TlsSettings.builder().versions("1.1")).hasMessageContaining("TLSv1.1 is not offered");
    assertThatThrownBy(() -> TlsSettings.builder().versions("TLSv1")).hasMessageContaining("TLSv1 is not offered");
  }
}
