package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertificateRole;
import io.thingstorm.certs.CertificateSpec;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.client.AuthorizationFormat;
import io.thingstorm.client.ConnectTimings;
import io.thingstorm.client.Device;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testbed as thingstorm's own device client sees it: every protocol, and each refusal by its class. */
class TestbedClientTest {
  static final byte[] SENML = "[{\"bn\":\"client:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]".getBytes(StandardCharsets.UTF_8);

  static final List<FailureKind> REFUSED_AT_HANDSHAKE = List.of(FailureKind.BAD_CERTIFICATE, FailureKind.CONNECTION_LOST);

  @TempDir static Path dir;
  static Testbed testbed;
  static TlsSettings tls;
  static ManifestEntry thing;
  static ManifestEntry other; // on another channel

  @BeforeAll
  static void start() {
    testbed = Testbed.builder().dir(dir).generateThings(2).channels(2).build().start();
    tls = TlsSettings.builder().caBundle(testbed.caFile()).build();
    thing = testbed.identities().get(0);
    other = testbed.identities().get(1);
  }

  @AfterAll
  static void stop() {
    if (testbed != null) testbed.close();
  }

  @Test
  void aDevicePublishesOverEveryProtocolAndAnMqttSubscriberSeesEachMessage() throws Exception {
    BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    // Its own client id: a second connection with the thing's would take the subscriber's session over.
    try (Device subscriber = device(testbed.mqttUrl(), identity(thing).build()).clientId("subscriber-" + thing.thing().thingId()).build()) {
      subscriber.subscribe(channel(thing), null, received::add);
      CountsSnapshot before = testbed.counts();
      // The client's wss:// is Mainflux's WebSocket adapter; MQTT over WSS is tested with Paho.
      for (URI url : new URI[] {testbed.mqttUrl(), testbed.httpsUrl(), testbed.wsUrl()}) {
        try (Device device = device(url, identity(thing).build()).build()) {
          assertThat(device.publish(channel(thing), SENML)).as(url.toString()).isEqualTo(Device.Delivery.ACKNOWLEDGED);
        }
        ReceivedMessage message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("what %s sent, at the subscriber", url).isNotNull();
        assertThat(message.payload()).isEqualTo(SENML);
      }
      try (Device mqtt5 = device(testbed.mqttUrl(), identity(thing).build()).mqttVersion(5).build()) {
        mqtt5.publish(channel(thing), SENML);
      }
      CountsSnapshot after = testbed.awaitCounts(c -> c.total().messages() >= before.total().messages() + 4, Duration.ofSeconds(5));
      assertThat(after.protocol(Protocol.MQTT).messages() - before.protocol(Protocol.MQTT).messages()).isEqualTo(2);
      for (Protocol p : new Protocol[] {Protocol.HTTPS, Protocol.WSS}) {
        assertThat(after.protocol(p).messages() - before.protocol(p).messages()).as(p.label()).isEqualTo(1);
      }
    }
  }

  /** MQTT over a WebSocket over TLS, as Mainflux serves it at /mqtt: mqtt+wss://, so that wss:// stays the WebSocket adapter's. */
  @Test
  void aDevicePublishesMqttOverAWebSocket() throws Exception {
    URI overWebSocket = URI.create(testbed.mqttWssUrl().toString().replace("wss://", "mqtt+wss://"));
    BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
    try (Device subscriber = device(overWebSocket, identity(thing).build()).clientId("ws-subscriber-" + thing.thing().thingId()).build()) {
      subscriber.subscribe(channel(thing), "ws", received::add);
      for (int version : new int[] {3, 5}) {
        try (Device device = device(overWebSocket, identity(thing).build()).mqttVersion(version).build()) {
          assertThat(device.publish(channel(thing), "ws", SENML, "application/senml+json", 1, false)).as("MQTT %d", version)
              .isEqualTo(Device.Delivery.ACKNOWLEDGED);
        }
        ReceivedMessage message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("MQTT %d over the WebSocket, at the subscriber", version).isNotNull();
        assertThat(message.topic()).isEqualTo("channels/" + channel(thing) + "/messages/ws");
      }
    }
    ThingIdentity wrongKey = identity(thing).thingKey(other.thing().thingKey()).build();
    assertThatThrownBy(() -> publish(overWebSocket, wrongKey, PlatformProfile.mainflux()))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_AUTHORISED));
  }

  /**
   * Paho's own WebSocket module read each connection on a platform thread of its own; thingstorm's
   * lets Paho's receiver read the frames, so forty devices over WebSockets start no such threads.
   */
  @Test
  void devicesOverWebSocketsTakeNoPlatformThreadEach() {
    URI overWebSocket = URI.create(testbed.mqttWssUrl().toString().replace("wss://", "mqtt+wss://"));
    java.util.List<Device> devices = new java.util.ArrayList<>();
    int platformBefore = Thread.getAllStackTraces().size();
    try {
      for (int i = 0; i < 40; i++) {
        Device device = device(overWebSocket, identity(thing).build()).clientId("ws-thread-" + i).build();
        devices.add(device);
        device.connect();
      }
      assertThat(devices).allMatch(d -> d.transport().isConnected());
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().contains("SocketReceiver"));
      assertThat(Thread.getAllStackTraces().size() - platformBefore).as("platform threads started for 40 devices").isLessThan(10);
      assertThat(devices.get(39).publish(channel(thing), "ws", SENML, "application/senml+json", 1, false))
          .isEqualTo(Device.Delivery.ACKNOWLEDGED);
    } finally {
      devices.forEach(Device::close);
    }
  }

  /**
   * Java-WebSocket starts a reading and a writing platform thread per socket; a device reads on a
   * virtual thread instead, so forty WSS devices start about forty platform threads, not eighty.
   */
  @Test
  void wssDevicesReadOnVirtualThreads() {
    java.util.List<Device> devices = new java.util.ArrayList<>();
    int platformBefore = Thread.getAllStackTraces().size();
    try {
      for (int i = 0; i < 40; i++) {
        Device device = device(testbed.wsUrl(), identity(thing).build()).build();
        devices.add(device);
        // A WSS device opens its channel's socket with its first message, and keeps it.
        assertThat(device.publish(channel(thing), SENML)).isEqualTo(Device.Delivery.ACKNOWLEDGED);
      }
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("WebSocketConnectReadThread"));
      assertThat(Thread.getAllStackTraces().size() - platformBefore).as("platform threads started for 40 devices: %s",
          Thread.getAllStackTraces().keySet().stream().map(t -> t.getName().replaceAll("[0-9]+", "N")).collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.stream.Collectors.counting()))).isLessThan(50);
      assertThat(devices.get(0).publish(channel(thing), SENML)).isEqualTo(Device.Delivery.ACKNOWLEDGED);
    } finally {
      devices.forEach(Device::close);
    }
  }

  /**
   * What answers a WebSocket upgrade for MQTT wrongly is named for what it said (a listener that
   * closes instead of answering: WebSocketStreamTest; the testbed's MQTTS port waits 10 s first).
   */
  @Test
  void aPortThatIsNoMqttWebSocketListenerIsNamed() {
    URI httpsPort = URI.create("mqtt+wss://127.0.0.1:" + testbed.httpsUrl().getPort() + "/mqtt");
    assertThatThrownBy(() -> publish(httpsPort, identity(thing).build(), PlatformProfile.mainflux()))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_ERROR))
        .hasMessageContaining("the WebSocket upgrade of /mqtt was refused: HTTP/1.1 404");
  }

  @Test
  void anMqttConnectTimesTcpTlsAndConnackApart() {
    for (int version : new int[] {3, 5}) {
      try (Device device = device(testbed.mqttUrl(), identity(thing).build()).mqttVersion(version).build()) {
        assertThat(device.transport().connectTimings()).as("before connecting").isEmpty();
        long before = System.nanoTime();
        device.connect();
        long after = System.nanoTime();
        ConnectTimings timings = device.transport().connectTimings().orElseThrow();
        assertThat(timings.tcpStarted()).as("MQTT %d", version).isGreaterThanOrEqualTo(before);
        assertThat(timings.tcpConnected()).isGreaterThan(timings.tcpStarted());
        assertThat(timings.handshakeDone()).isGreaterThan(timings.tcpConnected());
        assertThat(timings.sessionOpen()).isGreaterThan(timings.handshakeDone()).isLessThanOrEqualTo(after);
        assertThat(List.of(timings.tcp(), timings.handshake(), timings.session())).allMatch(d -> d.isPositive());
      }
    }
  }

  /*
   * Java's TLS server (JSSE, under HiveMQ's Netty and under Jetty) answers every client certificate
   * its trust manager refuses with the alert certificate_unknown, where an OpenSSL server (nginx,
   * mosquitto) says unknown_ca or certificate_expired: the client names that alert "bad certificate".
   * The server closes at once with the client's last handshake flight still unread, so its TCP reset
   * can overtake the alert; every transport then asks the server again with a probe that writes
   * nothing, so that a person reads the same "bad certificate" each time. The testbed counts a TLS
   * failure on that port.
   */
  @Test
  void aCertificateFromAnotherCaIsRefusedAtTheHandshakeOnEveryPort() {
    CertificateAuthority stranger = CertificateAuthority.createRoot("stranger CA", KeyType.EC_P256, 1);
    ThingIdentity forged = ThingIdentity.builder()
        .certifiedKey(stranger.issueThing(thing.thing().thingKey(), KeyType.EC_P256, 1))
        .thingId(thing.thing().thingId()).build();
    Map<URI, Protocol> ports = Map.of(testbed.mqttUrl(), Protocol.MQTT, testbed.httpsUrl(), Protocol.HTTPS, testbed.wsUrl(), Protocol.HTTPS);
    ports.forEach((url, protocol) -> {
      long before = testbed.counts().protocol(protocol).refusals(Refusal.TLS_FAILURE);
      for (int attempt = 0; attempt < 4; attempt++) {
        assertThatThrownBy(() -> publish(url, forged, PlatformProfile.mainflux()))
            .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).as(url.toString()).isEqualTo(FailureKind.BAD_CERTIFICATE));
      }
      assertThat(testbed.awaitCounts(c -> c.protocol(protocol).refusals(Refusal.TLS_FAILURE) > before, Duration.ofSeconds(5))
          .protocol(protocol).refusals(Refusal.TLS_FAILURE)).as(url.toString()).isGreaterThan(before);
    });
  }

  /** Bouncy Castle's JSSE words the same alert its own way ("certificate_unknown(46)"): the same class. */
  @Test
  void aCertificateFromAnotherCaIsABadCertificateUnderBouncyCastleToo() {
    CertificateAuthority stranger = CertificateAuthority.createRoot("stranger CA", KeyType.EC_P256, 1);
    ThingIdentity forged = ThingIdentity.builder()
        .certifiedKey(stranger.issueThing(thing.thing().thingKey(), KeyType.EC_P256, 1))
        .thingId(thing.thing().thingId()).build();
    TlsSettings bouncyCastle = TlsSettings.builder().caBundle(testbed.caFile()).provider(TlsProvider.BCJSSE).build();
    for (URI url : new URI[] {testbed.mqttUrl(), testbed.httpsUrl()}) {
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> {
          try (Device device = device(url, forged).tls(bouncyCastle).build()) {
            device.publish(channel(thing), SENML);
          }
        }).isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).as(url.toString()).isEqualTo(FailureKind.BAD_CERTIFICATE));
      }
    }
  }

  @Test
  void anExpiredCertificateIsRefusedAtTheHandshake() {
    CertificateAuthority ca = testbed.certificateAuthority().orElseThrow();
    Instant now = Instant.now();
    ThingIdentity expired = ThingIdentity.builder()
        .certifiedKey(ca.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName(thing.thing().thingKey())
            .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).build(), KeyType.EC_P256))
        .thingId(thing.thing().thingId()).skipValidityCheck().build();
    long before = testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.TLS_FAILURE);
    assertThatThrownBy(() -> publish(testbed.mqttUrl(), expired, PlatformProfile.mainflux()))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isIn(REFUSED_AT_HANDSHAKE));
    assertThat(testbed.awaitCounts(c -> c.protocol(Protocol.MQTT).refusals(Refusal.TLS_FAILURE) > before, Duration.ofSeconds(5))
        .protocol(Protocol.MQTT).refusals(Refusal.TLS_FAILURE)).isGreaterThan(before);
  }

  @Test
  void aWrongThingKeyIsNotAuthorisedOverMqttAndForbiddenOverHttpsAndWss() {
    ThingIdentity wrongKey = identity(thing).thingKey(other.thing().thingKey()).build();
    assertThatThrownBy(() -> publish(testbed.mqttUrl(), wrongKey, PlatformProfile.mainflux()))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_AUTHORISED));
    PlatformProfile sendsTheKey = PlatformProfile.mainflux().withAuthorization(AuthorizationFormat.THING);
    for (URI url : new URI[] {testbed.httpsUrl(), testbed.wsUrl()}) {
      assertThatThrownBy(() -> publish(url, wrongKey, sendsTheKey))
          .as(url.toString())
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_FORBIDDEN));
    }
  }

  @Test
  void anotherChannelIsNoPermissionOverMqttAndForbiddenOverHttps() {
    try (Device device = device(testbed.mqttUrl(), identity(thing).build()).build()) {
      assertThatThrownBy(() -> device.subscribe(channel(other), null, m -> {}))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NO_PERMISSION));
    }
    try (Device device = device(testbed.mqttUrl(), identity(thing).build()).mqttVersion(5).build()) {
      assertThatThrownBy(() -> device.publish(channel(other), SENML))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NO_PERMISSION));
    }
    try (Device device = device(testbed.httpsUrl(), identity(thing).build()).build()) {
      assertThatThrownBy(() -> device.publish(channel(other), SENML))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_FORBIDDEN));
    }
  }

  @Test
  void anotherChannelUnderMqtt311IsAConnectionClosedAtTheFirstPublishAndSaysSo() {
    // MQTT 3.1.1 has no negative PUBACK: the broker closes the connection.
    try (Device device = device(testbed.mqttUrl(), identity(thing).build()).build()) {
      assertThatThrownBy(() -> device.publish(channel(other), SENML))
          .isInstanceOfSatisfying(DeviceException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.CLOSED_AT_FIRST_PUBLISH);
            assertThat(e.getMessage()).contains("the publish to channels/" + channel(other) + "/messages");
          });
    }
    // A QoS 0 publish is done once written: the close that follows is no answer to it.
    try (Device device = device(testbed.mqttUrl(), identity(thing).build()).build()) {
      device.publish(channel(other), null, SENML, "application/senml+json", 0, false);
    }
  }

  @Test
  void anotherContentTypeIsUnsupportedMediaType() {
    try (Device device = device(testbed.httpsUrl(), identity(thing).build()).build()) {
      assertThatThrownBy(() -> device.publish(channel(thing), null, "21.5".getBytes(StandardCharsets.UTF_8), "text/plain", 1, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNSUPPORTED_MEDIA_TYPE));
    }
  }

  static void publish(URI url, ThingIdentity identity, PlatformProfile profile) {
    try (Device device = device(url, identity).profile(profile).build()) {
      device.publish(channel(thing), SENML);
    }
  }

  static Device.Builder device(URI url, ThingIdentity identity) {
    return Device.builder().url(url).identity(identity).tls(tls).offlineBuffer(0).connectTimeout(Duration.ofSeconds(10));
  }

  static ThingIdentity.Builder identity(ManifestEntry entry) {
    return ThingIdentity.builder().certificateFile(entry.cert()).privateKeyFile(entry.key()).thingId(entry.thing().thingId());
  }

  static String channel(ManifestEntry entry) {
    return entry.thing().channelId();
  }
}
