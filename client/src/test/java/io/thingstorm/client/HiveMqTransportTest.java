package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.client.mqtt.HiveMq3Transport;
import io.thingstorm.client.mqtt.HiveMq5Transport;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HiveMQ client as MQTT engine keeps the transport's contract, against a real mosquitto
 * (require_certificate, use_identity_as_username): what arrives, and every failure named as Paho's
 * transports name it.
 */
class HiveMqTransportTest {
  static final List<Function<TransportConfig, Transport>> BOTH_VERSIONS = List.of(HiveMq3Transport::new, HiveMq5Transport::new);

  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;
  static TlsSettings tls;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
    tls = TlsSettings.builder().caBundle(pki.caFile()).build();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  static Transport mqtt(Function<TransportConfig, Transport> kind, ThingIdentity identity, int port) {
    return MqttTransportTest.mqtt(kind, identity, "localhost", port, tls);
  }

  @Test
  void publishesAtEveryQosArriveByteExact() {
    int round = 0;
    for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
      String channel = "chan-hq-" + round++;
      try (PlainSubscriber subscriber = new PlainSubscriber(broker.plainPort, "channels/" + channel + "/messages/#");
          Transport transport = mqtt(kind, Things.identity(pki, "thing-hq-" + round), broker.tlsPort)) {
        transport.connect();
        assertThat(transport.isConnected()).isTrue();
        for (int qos = 0; qos <= 2; qos++) {
          byte[] payload = ("[{\"n\":\"qos\",\"v\":" + qos + "}]").getBytes(StandardCharsets.UTF_8);
          transport.publish(channel, "room/" + qos, payload, Transport.SENML_JSON, qos, false);
          ReceivedMessage received = subscriber.next(Duration.ofSeconds(5));
          assertThat(received.topic()).as("%s QoS %d", transport, qos).isEqualTo("channels/" + channel + "/messages/room/" + qos);
          assertThat(received.payload()).isEqualTo(payload);
        }
      }
    }
  }

  @Test
  void aSubscriptionReceivesWhatThePlatformSends() throws Exception {
    for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
      CompletableFuture<ReceivedMessage> got = new CompletableFuture<>();
      try (PlainSubscriber platform = new PlainSubscriber(broker.plainPort, "unused/topic");
          Transport transport = mqtt(kind, Things.identity(pki, "thing-hq-sub"), broker.tlsPort)) {
        transport.connect();
        transport.subscribe("chan-hq-down", null, 1, got::complete);
        platform.publish("channels/chan-hq-down/messages", MqttTransportTest.SENML);
        ReceivedMessage message = got.get(5, TimeUnit.SECONDS);
        assertThat(message.topic()).isEqualTo("channels/chan-hq-down/messages");
        assertThat(message.payload()).isEqualTo(MqttTransportTest.SENML);
      }
    }
  }

  @Test
  void publishesFromManyThreadsAtOnceAllReachASubscriber() throws Exception {
    int threads = 8;
    int each = 500;
    int round = 0;
    for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
      for (int qos : new int[] {0, 1}) {
        String channel = "chan-hq-many-" + round++;
        Set<String> arrived = ConcurrentHashMap.newKeySet();
        try (Transport subscriber = mqtt(HiveMq3Transport::new, Things.identity(pki, "thing-hq-reader"), broker.tlsPort);
            Transport publisher = mqtt(kind, Things.identity(pki, "thing-hq-many-" + round), broker.tlsPort);
            var senders = Executors.newVirtualThreadPerTaskExecutor()) {
          subscriber.connect();
          subscriber.subscribe(channel, null, 1, m -> arrived.add(new String(m.payload(), StandardCharsets.UTF_8)));
          publisher.connect();
          List<Future<?>> sent = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int thread = t;
            sent.add(senders.submit(() -> {
              for (int i = 0; i < each; i++) {
                publisher.publish(channel, null, ("m" + thread + "-" + i).getBytes(StandardCharsets.UTF_8), Transport.SENML_JSON, qos, false);
              }
              return null;
            }));
          }
          for (var f : sent) f.get();
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (arrived.size() < threads * each && System.nanoTime() < deadline) Thread.sleep(20);
          assertThat(arrived).as("%s at QoS %d", publisher, qos).hasSize(threads * each);
        }
      }
    }
  }

  @Test
  void aCertificateFromAnotherCaIsUnknownCa() {
    TestPki other = TestPki.create(dir.resolve("other-ca"), "some other CA");
    ThingIdentity stranger = Things.identity(other, "stranger");
    for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
      try (Transport transport = mqtt(kind, stranger, broker.tlsPort)) {
        assertThatThrownBy(transport::connect)
            .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNKNOWN_CA));
      }
    }
  }

  @Test
  void anExpiredCertificateIsNamedAsSuch() {
    ThingIdentity expired = ThingIdentity.builder().certifiedKey(Things.expired(pki, "expired-hq")).skipValidityCheck().build();
    try (Transport transport = mqtt(HiveMq3Transport::new, expired, broker.tlsPort)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CERT_EXPIRED));
    }
  }

  @Test
  void aServerCertificateFromAnUnknownCaIsNotTrusted() {
    TestPki other = TestPki.create(dir.resolve("other-trust"), "a CA the broker does not use");
    TlsSettings wrongTrust = TlsSettings.builder().caBundle(other.caFile()).build();
    try (Transport transport = MqttTransportTest.mqtt(HiveMq3Transport::new, Things.identity(pki, "t"), "localhost", broker.tlsPort, wrongTrust)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_UNTRUSTED));
    }
  }

  @Test
  void aServerCertificateForAnotherHostIsAHostnameMismatchUnlessSwitchedOff() {
    CertifiedKey otherHost = pki.ca.issueServer("otherhost-hq", List.of("otherhost"), List.of(), KeyType.EC_P256, 30);
    CaDirectory.at(dir).write("otherhost-hq", otherHost, KeyFormat.PKCS8, null, false);
    try (Mosquitto misnamed = Mosquitto.start(dir, pki.caFile(), pki.certFile("otherhost-hq"), pki.keyFile("otherhost-hq"))) {
      ThingIdentity thing = Things.identity(pki, "thing-hq-host");
      for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
        try (Transport transport = mqtt(kind, thing, misnamed.tlsPort)) {
          assertThatThrownBy(transport::connect)
              .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH));
        }
      }
      TlsSettings insecure = tls.newBuilder().insecureSkipHostnameVerification().build();
      try (Transport transport = MqttTransportTest.mqtt(HiveMq3Transport::new, thing, "localhost", misnamed.tlsPort, insecure)) {
        transport.connect();
        assertThat(transport.isConnected()).isTrue();
      }
    }
  }

  @Test
  void nothingListeningIsConnectionRefused() {
    try (Transport transport = mqtt(HiveMq3Transport::new, Things.identity(pki, "t"), io.thingstorm.testing.FreePort.next())) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONNECTION_REFUSED));
    }
  }

  @Test
  void aBrokerThatGoesAwayIsReportedOnceAsConnectionLost() throws Exception {
    try (Mosquitto leaving = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      for (Function<TransportConfig, Transport> kind : BOTH_VERSIONS) {
        List<DeviceException> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport transport = mqtt(kind, Things.identity(pki, "thing-hq-lost"), leaving.tlsPort);
        transport.onConnectionLost(lost::add);
        transport.connect();
        leaving.stop();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lost.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(lost).as("%s", transport).hasSize(1);
        assertThat(lost.get(0).kind()).isEqualTo(FailureKind.CONNECTION_LOST);
        assertThat(transport.isConnected()).isFalse();
        transport.close();
        leaving.restart();
      }
    }
  }
}
