package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTest {
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

  @Test
  void theUrlSchemePicksTheTransport() {
    ThingIdentity thing = Things.identity(pki, "scheme-thing");
    try (Device mqtt = Device.builder().url("mqtts://localhost:8883").identity(thing).tls(tls).build();
        Device mqtt5 = Device.builder().url("mqtts://localhost:8883").mqttVersion(5).identity(thing).tls(tls).build();
        Device https = Device.builder().url("https://localhost/http").identity(thing).tls(tls).build();
        Device wss = Device.builder().url("wss://localhost/ws").identity(thing).tls(tls).build()) {
      assertThat(mqtt.transport().toString()).startsWith("MQTT 3.1.1");
      assertThat(mqtt5.transport().toString()).startsWith("MQTT 5");
      assertThat(https.transport().toString()).startsWith("HTTPS");
      assertThat(wss.transport().toString()).startsWith("WSS");
    }
    assertThatThrownBy(() -> Device.builder().url("mqtt://localhost:1883"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown URL scheme 'mqtt'");
  }

  @Test
  void publishesAndIsAcknowledged() {
    try (PlainSubscriber platform = new PlainSubscriber(broker.plainPort, "channels/dev-chan/messages");
        Device device = Device.builder().url("mqtts://localhost:" + broker.tlsPort)
            .identity(Things.identity(pki, "device-thing")).tls(tls).build()) {
      byte[] senml = "[{\"n\":\"temp\",\"v\":21.5}]".getBytes(StandardCharsets.UTF_8);
      assertThat(device.publish("dev-chan", senml)).isEqualTo(Device.Delivery.ACKNOWLEDGED);
      assertThat(platform.next(Duration.ofSeconds(5)).payload()).isEqualTo(senml);
    }
  }

  @Test
  void publishesASenmlPackAsCbor() {
    var pack = io.thingstorm.client.senml.SenmlPack.of(io.thingstorm.client.senml.SenmlRecord.builder()
        .baseName("urn:dev:ow:10e2073a01080063:").name("temp").unit("Cel").value(23.1).build());
    try (PlainSubscriber platform = new PlainSubscriber(broker.plainPort, "channels/cbor-chan/messages/#");
        Device device = Device.builder().url("mqtts://localhost:" + broker.tlsPort).mqttVersion(5)
            .identity(Things.identity(pki, "cbor-thing")).tls(tls).build()) {
      device.publish("cbor-chan", "room", pack, io.thingstorm.client.senml.SenmlFormat.CBOR);
      byte[] received = platform.next(Duration.ofSeconds(5)).payload();
      assertThat(io.thingstorm.client.senml.SenmlCbor.decode(received)).isEqualTo(pack);
    }
  }

  @Test
  void reconnectsAfterTheBrokerDropsItAndSendsWhatItBuffered() throws Exception {
    ThingIdentity thing = Things.identity(pki, "flaky-thing");
    List<FailureKind> failures = new CopyOnWriteArrayList<>();
    try (PlainSubscriber platform = new PlainSubscriber(broker.plainPort, "channels/flaky/messages");
        Device device = Device.builder().url("mqtts://localhost:" + broker.tlsPort).identity(thing).tls(tls)
            .clientId("flaky-client").backoff(new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1), 2, 0.5))
            .onFailure(failure -> failures.add(failure.kind())).build()) {
      device.connect();
      // A second client with the same client id takes the session over: mosquitto drops the device.
      try (Transport intruder = new Mqtt3Transport(TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
          .identity(thing).tls(tls.forIdentity(thing)).clientId("flaky-client").build())) {
        intruder.connect();
        awaitTrue(() -> !device.isConnected(), Duration.ofSeconds(5));
        List<Device.Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 3; i++) deliveries.add(device.publish("flaky", ("[{\"n\":\"i\",\"v\":" + i + "}]").getBytes(StandardCharsets.UTF_8)));
        assertThat(deliveries).contains(Device.Delivery.BUFFERED);
      }
      awaitTrue(device::isConnected, Duration.ofSeconds(10));
      for (int i = 0; i < 3; i++) {
        assertThat(new String(platform.next(Duration.ofSeconds(5)).payload(), StandardCharsets.UTF_8)).isEqualTo("[{\"n\":\"i\",\"v\":" + i + "}]");
      }
      assertThat(failures).contains(FailureKind.CONNECTION_LOST);
      assertThat(device.buffered()).isZero();
      assertThat(device.dropped()).isZero();
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
      Thread.sleep(20);
    }
  }
}
