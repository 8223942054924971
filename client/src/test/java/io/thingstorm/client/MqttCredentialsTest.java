package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.mqtt.Mqtt5Transport;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that, like Mainflux's MQTT adapter, wants a client certificate and the thing id and key
 * as user name and password: a wrong key is refused with CONNACK 5 (MQTT 5: 0x87).
 */
class MqttCredentialsTest {
  static final String THING_ID = "thing-42";
  static final String THING_KEY = "b1e0c5a2-thing-key";

  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;
  static TlsSettings tls;

  @BeforeAll
  static void startBroker() throws Exception {
    pki = TestPki.create(dir);
    Path passwords = Files.createFile(dir.resolve("passwords"));
    ExternalCommand.Result added = ExternalCommand.run(List.of(DebianTool.require("mosquitto_passwd", "mosquitto").toString(),
        "-b", passwords.toString(), THING_ID, THING_KEY));
    assertThat(added.exitCode()).as(added.output()).isZero();
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(),
        "use_identity_as_username false\npassword_file " + passwords);
    tls = TlsSettings.builder().caBundle(pki.caFile()).build();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  static Transport mqtt(Function<TransportConfig, Transport> kind, ThingIdentity identity) {
    return kind.apply(TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
        .identity(identity).tls(tls.forIdentity(identity)).build());
  }

  @Test
  void theThingIdAndKeyLogIn() {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing(THING_KEY, io.thingstorm.certs.KeyType.EC_P256, 90))
        .thingId(THING_ID).build();
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      try (Transport transport = mqtt(kind, thing)) {
        transport.connect();
        assertThat(transport.isConnected()).isTrue();
      }
    }
  }

  @Test
  void aWrongThingKeyIsNotAuthorised() {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("another-key", io.thingstorm.certs.KeyType.EC_P256, 90))
        .thingId(THING_ID).build();
    try (Transport transport = mqtt(Mqtt3Transport::new, thing)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_AUTHORISED))
          .hasMessageContaining("CONNACK 5");
    }
    try (Transport transport = mqtt(Mqtt5Transport::new, thing)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_AUTHORISED))
          .hasMessageContaining("reason code 0x87");
    }
  }
}
