package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.client.Device;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cybus Connectware profile: CN as user name, TLS 1.2 only, per-user topic permissions. */
class TestbedCybusTest {
  @TempDir static Path dir;
  static Testbed testbed;
  static CaDirectory files;

  @BeforeAll
  static void start() throws Exception {
    Path permissions = Files.writeString(dir.resolve("permissions.properties"), """
        # user (= cert CN) = topic filters it may publish and subscribe to
        device001 = factory/device001/#, factory/+/commands
        """);
    testbed = Testbed.builder().dir(dir).profile(Profile.CYBUS).generateThings(1).permissions(permissions).build().start();
    files = CaDirectory.at(dir);
    CertifiedKey device = testbed.certificateAuthority().orElseThrow().issueThing("device001", KeyType.EC_P256, 100);
    files.write("device001", device, KeyFormat.PKCS8, null, false);
    CertifiedKey nobody = testbed.certificateAuthority().orElseThrow().issueThing("nobody", KeyType.EC_P256, 100);
    files.write("nobody", nobody, KeyFormat.PKCS8, null, false);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) testbed.close();
  }

  @Test
  void theCybusGuidesMosquittoSubIsGrantedWithinItsPermissionsAndRefused128Outside() {
    ExternalCommand.Result granted = mosquittoSub("device001", "factory/device001/#");
    assertThat(granted.output()).contains("received CONNACK (0)").contains("Subscribed (mid: 1): 0");
    ExternalCommand.Result refused = mosquittoSub("device001", "#");
    assertThat(refused.output()).contains("received CONNACK (0)").contains("Subscribed (mid: 1): 128");
  }

  @Test
  void aCnWithNoUserGetsConnack5() {
    long before = testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NOT_AUTHORISED);
    ExternalCommand.Result refused = mosquittoSub("nobody", "#");
    assertThat(refused.output()).contains("received CONNACK (5)").contains("not authorised");
    assertThat(testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NOT_AUTHORISED)).isEqualTo(before + 1);
  }

  @Test
  void aTls13OnlyClientIsRefusedAtTheHandshake() throws Exception {
    SSLContext tls = ThingTls.context(new CertifiedKey(
        io.thingstorm.certs.pem.Pem.readCertificates(files.certFile("device001")),
        io.thingstorm.certs.pem.Pem.readPrivateKey(files.keyFile("device001"), io.thingstorm.certs.pem.PasswordSource.none())),
        testbed.caFile(), "TLS");
    for (int port : new int[] {testbed.mqttPort(), testbed.mqttWssPort(), testbed.httpsPort()}) {
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        assertThatThrownBy(socket::startHandshake).as("TLS 1.3 on port %d", port).isInstanceOf(SSLException.class);
      }
    }
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", testbed.mqttPort())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void aRegisteredThingConnectsWithoutPasswordAndPublishesOnItsChannel() throws Exception {
    ManifestEntry thing = testbed.identities().get(0);
    MqttClient client = new MqttClient("ssl://127.0.0.1:" + testbed.mqttPort(), "t-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(ThingTls.context(thing, testbed.caFile()).getSocketFactory());
    client.connect(options);
    client.publish("channels/" + thing.thing().channelId() + "/messages", "[{\"n\":\"t\",\"v\":1}]".getBytes(StandardCharsets.UTF_8), 1, false);
    assertThat(testbed.counts().thing(thing.thing().thingId()).messages()).isEqualTo(1);
    client.disconnect();
    client.close();
  }

  @Test
  void aCnWithNoUserIsNotAuthorisedForPaho() {
    Thing nobody = new Thing("nobody", "nobody", null);
    ManifestEntry entry = new ManifestEntry(nobody, files.certFile("nobody"), files.keyFile("nobody"));
    assertThatThrownBy(() -> {
      MqttClient client = new MqttClient("ssl://127.0.0.1:" + testbed.mqttPort(), "t-" + UUID.randomUUID(), new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setSocketFactory(ThingTls.context(entry, testbed.caFile()).getSocketFactory());
      try {
        client.connect(options);
      } finally {
        client.close(true);
      }
    }).isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
  }

  @Test
  void theDeviceClientWithTheCybusProfileSeesEachRefusalByItsClass() {
    TlsSettings tls = TlsSettings.builder().caBundle(testbed.caFile()).build();
    ThingIdentity device001 = ThingIdentity.builder().certificateFile(files.certFile("device001")).privateKeyFile(files.keyFile("device001")).build();
    // Within its permissions: accepted (the profile speaks TLS 1.2).
    try (Device device = cybus(device001, tls).build()) {
      assertThat(device.publish("factory", "device001/temperature", "[{\"n\":\"t\",\"v\":1}]".getBytes(StandardCharsets.UTF_8),
          "application/senml+json", 1, false)).isEqualTo(Device.Delivery.ACKNOWLEDGED);
      assertThatThrownBy(() -> device.subscribe("factory", null, m -> {}))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NO_PERMISSION));
    }
    ThingIdentity nobody = ThingIdentity.builder().certificateFile(files.certFile("nobody")).privateKeyFile(files.keyFile("nobody")).build();
    assertThatThrownBy(() -> {
      try (Device device = cybus(nobody, tls).build()) {
        device.connect();
      }
    }).isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_AUTHORISED));
    // TLS 1.3 chosen stands under the Cybus profile (the profile's TLS 1.2 is only its default): refused.
    TlsSettings tls13Only = TlsSettings.builder().caBundle(testbed.caFile()).versions("TLSv1.3").build();
    assertThatThrownBy(() -> {
      try (Device device = cybus(device001, tls13Only).build()) {
        device.connect();
      }
    }).isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TLS_VERSION_REFUSED));
  }

  @Test
  void theChannelIsATopicOfItsOwn_withLevels_andASubscriptionMayHoldWildcards() throws Exception {
    TlsSettings tls = TlsSettings.builder().caBundle(testbed.caFile()).build();
    ThingIdentity device001 = ThingIdentity.builder().certificateFile(files.certFile("device001")).privateKeyFile(files.keyFile("device001")).build();
    java.util.concurrent.BlockingQueue<String> topics = new java.util.concurrent.LinkedBlockingQueue<>();
    try (Device subscriber = cybus(device001, tls).clientId("device001-sub").build();
        Device device = cybus(device001, tls).build()) {
      subscriber.subscribe("factory/device001/#", null, m -> topics.add(m.topic()));
      assertThat(device.publish("factory/device001", "temperature", "[{\"n\":\"t\",\"v\":1}]".getBytes(StandardCharsets.UTF_8),
          "application/senml+json", 1, false)).isEqualTo(Device.Delivery.ACKNOWLEDGED);
      assertThat(topics.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("factory/device001/temperature");
      assertThatThrownBy(() -> device.publish("factory/+", null, new byte[] {'[', ']'}, "application/senml+json", 1, false))
          .hasMessageContaining("a topic to publish to holds no wildcard");
    }
  }

  static Device.Builder cybus(ThingIdentity identity, TlsSettings tls) {
    return Device.builder().url(testbed.mqttUrl()).profile(PlatformProfile.cybus()).identity(identity).tls(tls).offlineBuffer(0);
  }

  /** The Cybus guide's command: {@code mosquitto_sub --cert C --key K --cafile CA -h localhost -p P -t T -d}. */
  static ExternalCommand.Result mosquittoSub(String name, String topic) {
    Path sub = DebianTool.require("mosquitto_sub", "mosquitto-clients");
    List<String> command = new ArrayList<>(List.of(sub.toString(),
        "--cert", files.certFile(name).toString(), "--key", files.keyFile(name).toString(),
        "--cafile", testbed.caFile().toString(), "-h", "localhost", "-p", String.valueOf(testbed.mqttPort()),
        "-t", topic, "-d", "-W", "2"));
    return ExternalCommand.run(command, null, Duration.ofSeconds(20));
  }
}
