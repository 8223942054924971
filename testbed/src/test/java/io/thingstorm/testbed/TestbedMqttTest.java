package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertificateRole;
import io.thingstorm.certs.CertificateSpec;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mainflux's MQTT rules on the embedded broker, seen through Paho 3.1.1 and 5. */
class TestbedMqttTest {
  static final byte[] SENML = "[{\"bn\":\"some-base-name:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1}]".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static Testbed testbed;
  /** alice and carol share channel A; bob is on channel B. */
  static ManifestEntry alice;
  static ManifestEntry bob;
  static ManifestEntry carol;

  @BeforeAll
  static void start() {
    testbed = Testbed.builder().dir(dir).generateThings(3).channels(2).build().start();
    alice = testbed.identities().get(0);
    bob = testbed.identities().get(1);
    carol = testbed.identities().get(2);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) testbed.close();
  }

  @Test
  void aThingPublishesOverMqtt311AndASubscriberOnTheChannelReceivesIt() throws Exception {
    String topic = "channels/" + alice.thing().channelId() + "/messages/sensors";
    CompletableFuture<MqttMessage> received = new CompletableFuture<>();
    MqttClient subscriber = connectV3(carol, carol.thing().thingKey());
    IMqttToken subscribed = subscriber.subscribeWithResponse(topic, 1, (t, m) -> received.complete(m));
    assertThat(subscribed.getGrantedQos()).containsExactly(1);

    MqttClient publisher = connectV3(alice, alice.thing().thingKey());
    publisher.publish(topic, SENML, 1, false);

    assertThat(received.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo(SENML);
    assertThat(testbed.counts().thing(alice.thing().thingId()).messages()).isPositive();
    assertThat(testbed.counts().protocol(Protocol.MQTT).bytes()).isGreaterThanOrEqualTo(SENML.length);
    publisher.disconnect();
    subscriber.disconnect();
  }

  @Test
  void aThingPublishesOverMqtt5() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttClient client = connectV5(alice, alice.thing().thingKey());
    long before = testbed.counts().thing(alice.thing().thingId()).messages();
    client.publish("channels/" + alice.thing().channelId() + "/messages", SENML, 1, false);
    assertThat(testbed.counts().thing(alice.thing().thingId()).messages()).isEqualTo(before + 1);
    client.disconnect();
  }

  @Test
  void aThingPublishesOverMqttOverWss() throws Exception {
    MqttClient client = new MqttClient(testbed.mqttWssUrl().toString(), "t-" + UUID.randomUUID(), new MemoryPersistence());
    client.connect(v3Options(ThingTls.context(alice, testbed.caFile()), alice.thing().thingId(), alice.thing().thingKey()));
    long before = testbed.counts().protocol(Protocol.MQTT_WSS).messages();
    client.publish("channels/" + alice.thing().channelId() + "/messages", SENML, 1, false);
    assertThat(testbed.counts().protocol(Protocol.MQTT_WSS).messages()).isEqualTo(before + 1);
    client.disconnect();
    client.close();
  }

  @Test
  void aWrongPasswordIsNotAuthorisedUnderMqtt311() {
    long before = testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NOT_AUTHORISED);
    assertThatThrownBy(() -> connectV3(alice, "not-the-key"))
        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
    assertThat(testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NOT_AUTHORISED)).isEqualTo(before + 1);
  }

  @Test
  void aWrongPasswordIsNotAuthorisedUnderMqtt5() {
    assertThatThrownBy(() -> connectV5(alice, "not-the-key"))
        .isInstanceOfSatisfying(org.eclipse.paho.mqttv5.common.MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
  }

  @Test
  void anotherThingsIdAsUserNameIsNotAuthorised() {
    assertThatThrownBy(() -> connectV3(alice, alice.thing().thingKey(), bob.thing().thingId()))
        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
  }

  @Test
  void aSubscriptionOutsideTheThingsChannelsIsGrantedQos128UnderMqtt311() throws Exception {
    MqttAsyncClient client = connectAsyncV3(alice);
    IMqttToken token = client.subscribe("channels/" + bob.thing().channelId() + "/messages", 1);
    token.waitForCompletion(10_000);
    assertThat(token.getGrantedQos()).containsExactly(128);
    IMqttToken wildcard = client.subscribe("channels/+/messages", 1);
    wildcard.waitForCompletion(10_000);
    assertThat(wildcard.getGrantedQos()).containsExactly(128);
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }

  @Test
  void aSubscriptionOutsideTheThingsChannelsGets0x87UnderMqtt5() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
        paho(testbed), "t-" + UUID.randomUUID(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect(v5Options(alice, alice.thing().thingKey())).waitForCompletion(10_000);
    org.eclipse.paho.mqttv5.client.IMqttToken token =
        client.subscribe(new MqttSubscription("channels/" + bob.thing().channelId() + "/messages", 1));
    token.waitForCompletion(10_000);
    assertThat(token.getReasonCodes()).containsExactly(0x87);
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }

  @Test
  void aPublishOutsideTheThingsChannelsClosesAnMqtt311Connection() throws Exception {
    MqttClient client = connectV3(alice, alice.thing().thingKey());
    long before = testbed.counts().thing(alice.thing().thingId()).refusals(Refusal.NO_PERMISSION);
    assertThatThrownBy(() -> client.publish("channels/" + bob.thing().channelId() + "/messages", SENML, 1, false))
        .isInstanceOf(MqttException.class);
    assertThat(client.isConnected()).isFalse();
    assertThat(testbed.counts().thing(alice.thing().thingId()).refusals(Refusal.NO_PERMISSION)).isEqualTo(before + 1);
    client.close();
  }

  @Test
  void aPublishOutsideTheThingsChannelsGetsPuback0x87UnderMqtt5() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
        paho(testbed), "t-" + UUID.randomUUID(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect(v5Options(alice, alice.thing().thingKey())).waitForCompletion(10_000);
    long before = testbed.counts().thing(alice.thing().thingId()).refusals(Refusal.NO_PERMISSION);
    org.eclipse.paho.mqttv5.client.IMqttToken token =
        client.publish("channels/" + bob.thing().channelId() + "/messages", new org.eclipse.paho.mqttv5.common.MqttMessage(SENML));
    token.waitForCompletion(10_000);
    assertThat(token.getReasonCodes()).containsExactly(0x87);
    assertThat(client.isConnected()).isTrue(); // unlike 3.1.1, MQTT 5 can refuse a publish and keep the connection
    assertThat(testbed.counts().thing(alice.thing().thingId()).refusals(Refusal.NO_PERMISSION)).isEqualTo(before + 1);
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }

  @Test
  void aCertificateFromAnotherCaFailsTheTlsHandshakeAndIsCounted() throws Exception {
    CertificateAuthority stranger = CertificateAuthority.createRoot("stranger CA", KeyType.EC_P256, 1);
    CertifiedKey forged = stranger.issueThing(alice.thing().thingKey(), KeyType.EC_P256, 1);
    SSLContext tls = ThingTls.context(forged, testbed.caFile(), "TLS");
    assertRefusedAtTheHandshake(tls);
  }

  /**
   * The alert (certificate_unknown, from Java's TLS server) or, when the server's close overtakes it,
   * a reset: either way an I/O failure at connect, and a TLS failure in the testbed's counts.
   */
  static void assertRefusedAtTheHandshake(SSLContext tls) throws InterruptedException {
    long before = testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.TLS_FAILURE);
    assertThatThrownBy(() -> connectV3(tls, alice.thing().thingId(), alice.thing().thingKey()))
        .isInstanceOf(MqttException.class)
        .hasRootCauseInstanceOf(IOException.class);
    await(() -> testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.TLS_FAILURE) > before);
  }

  @Test
  void aClientWithoutACertificateFailsTheTlsHandshake() throws Exception {
    SSLContext noCertificate = SSLContext.getInstance("TLS");
    javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", io.thingstorm.certs.pem.Pem.readCertificates(testbed.caFile()).get(0));
    trust.init(store);
    noCertificate.init(null, trust.getTrustManagers(), null);
    assertRefusedAtTheHandshake(noCertificate);
  }

  /** Waits up to 5 s for something the broker does after answering (counting a closed handshake). */
  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 5 s");
      Thread.sleep(20);
    }
  }

  @Test
  void anExpiredCertificateFailsTheTlsHandshake() throws Exception {
    CertificateAuthority ca = testbed.certificateAuthority().orElseThrow();
    Instant now = Instant.now();
    CertifiedKey expired = ca.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName(alice.thing().thingKey())
        .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).build(), KeyType.EC_P256);
    assertRefusedAtTheHandshake(ThingTls.context(expired, testbed.caFile(), "TLS"));
  }

  @Test
  void aThingDisconnectedFromItsChannelMidRunIsRefusedThere() throws Exception {
    // carol's own registry entry changes; alice and bob are untouched.
    String channel = carol.thing().channelId();
    MqttAsyncClient client = connectAsyncV3(carol);
    try {
      testbed.registry().disconnect(carol.thing().thingId(), channel);
      IMqttToken refused = client.subscribe("channels/" + channel + "/messages", 0);
      refused.waitForCompletion(10_000);
      assertThat(refused.getGrantedQos()).containsExactly(128);
    } finally {
      testbed.registry().connect(carol.thing().thingId(), channel);
    }
    IMqttToken granted = client.subscribe("channels/" + channel + "/messages", 0);
    granted.waitForCompletion(10_000);
    assertThat(granted.getGrantedQos()).containsExactly(0);
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }

  @Test
  void mosquittoPubAndSubWithTheThingsCertIdAndKeyWorkAsOnMainflux() throws Exception {
    Path sub = DebianTool.require("mosquitto_sub", "mosquitto-clients");
    Path pub = DebianTool.require("mosquitto_pub", "mosquitto-clients");
    String topic = "channels/" + alice.thing().channelId() + "/messages";
    // The Mainflux guide's SUBSCRIBE command (one message, at most 20 s), as carol.
    Process subscriber = new ProcessBuilder(mosquitto(sub, carol, carol.thing().thingKey(), topic, "-C", "1", "-W", "20"))
        .redirectErrorStream(true).start();
    // ... and its PUBLISH command, as alice, until the subscriber (which says nothing when it is
    // subscribed) has its message.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    do {
      ExternalCommand.Result published = ExternalCommand.run(mosquitto(pub, alice, alice.thing().thingKey(), topic, "-m", new String(SENML, StandardCharsets.UTF_8)));
      assertThat(published.exitCode()).as(published.output()).isZero();
    } while (!subscriber.waitFor(300, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    assertThat(subscriber.isAlive()).isFalse();
    assertThat(new String(subscriber.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
        .isEqualTo(new String(SENML, StandardCharsets.UTF_8));
  }

  @Test
  void mosquittoPubWithAWrongPasswordIsNotAuthorised() {
    Path pub = DebianTool.require("mosquitto_pub", "mosquitto-clients");
    ExternalCommand.Result result = ExternalCommand.run(
        mosquitto(pub, alice, "not-the-key", "channels/" + alice.thing().channelId() + "/messages", "-m", "x"));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("not authorised");
  }

  @Test
  void mosquittoSubOutsideTheThingsChannelsSeesSubscriptionRefused128() {
    Path sub = DebianTool.require("mosquitto_sub", "mosquitto-clients");
    ExternalCommand.Result result = ExternalCommand.run(mosquitto(sub, alice, alice.thing().thingKey(),
        "channels/" + bob.thing().channelId() + "/messages", "-d", "-W", "2"), null, Duration.ofSeconds(20));
    assertThat(result.output()).contains("Subscribed (mid: 1): 128");
  }

  /** The platform guide's mosquitto command line, pointed at the testbed. */
  static List<String> mosquitto(Path program, ManifestEntry thing, String password, String topic, String... more) {
    List<String> command = new ArrayList<>(List.of(program.toString(),
        "-u", thing.thing().thingId(), "-P", password, "-t", topic,
        "-h", "localhost", "-p", String.valueOf(testbed.mqttPort()),
        "--cafile", testbed.caFile().toString(), "--cert", thing.cert().toString(), "--key", thing.key().toString()));
    command.addAll(List.of(more));
    return command;
  }

  static String paho(Testbed testbed) {
    return "ssl://" + testbed.mqttUrl().getHost() + ":" + testbed.mqttUrl().getPort();
  }

  static MqttClient connectV3(ManifestEntry thing, String password) throws MqttException {
    return connectV3(thing, password, thing.thing().thingId());
  }

  static MqttClient connectV3(ManifestEntry thing, String password, String user) throws MqttException {
    return connectV3(ThingTls.context(thing, testbed.caFile()), user, password);
  }

  static MqttClient connectV3(SSLContext tls, String user, String password) throws MqttException {
    MqttClient client = new MqttClient(paho(testbed), "t-" + UUID.randomUUID(), new MemoryPersistence());
    try {
      client.connect(v3Options(tls, user, password));
    } catch (MqttException e) {
      client.close(true);
      throw e;
    }
    return client;
  }

  static MqttAsyncClient connectAsyncV3(ManifestEntry thing) throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(paho(testbed), "t-" + UUID.randomUUID(), new MemoryPersistence());
    client.connect(v3Options(ThingTls.context(thing, testbed.caFile()), thing.thing().thingId(), thing.thing().thingKey()))
        .waitForCompletion(10_000);
    return client;
  }

  static MqttConnectOptions v3Options(SSLContext tls, String user, String password) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setSocketFactory(tls.getSocketFactory());
    options.setUserName(user);
    options.setPassword(password.toCharArray());
    options.setConnectionTimeout(10);
    options.setAutomaticReconnect(false);
    return options;
  }

  static org.eclipse.paho.mqttv5.client.MqttClient connectV5(ManifestEntry thing, String password)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
        paho(testbed), "t-" + UUID.randomUUID(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    try {
      client.connect(v5Options(thing, password));
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      client.close(true);
      throw e;
    }
    return client;
  }

  static MqttConnectionOptions v5Options(ManifestEntry thing, String password) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setSocketFactory(ThingTls.context(thing, testbed.caFile()).getSocketFactory());
    options.setUserName(thing.thing().thingId());
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setConnectionTimeout(10);
    options.setAutomaticReconnect(false);
    return options;
  }
}
