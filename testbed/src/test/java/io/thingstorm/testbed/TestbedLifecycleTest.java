package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.testing.TestPki;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and what the testbed leaves behind. */
class TestbedLifecycleTest {
  @TempDir Path dir;

  @Test
  void itStartsOnFreeLoopbackPortsWritesItsPkiAndStopsCleanly() throws Exception {
    Testbed testbed = Testbed.builder().dir(dir).build().start();
    int[] ports = {testbed.mqttPort(), testbed.mqttWssPort(), testbed.httpsPort()};
    try {
      assertThat(testbed.mqttUrl().toString()).startsWith("mqtts://127.0.0.1:");
      assertThat(testbed.mqttWssUrl().toString()).matches("wss://127\\.0\\.0\\.1:\\d+/mqtt");
      assertThat(testbed.httpsUrl().toString()).matches("https://127\\.0\\.0\\.1:\\d+/http");
      assertThat(testbed.wsUrl().toString()).matches("wss://127\\.0\\.0\\.1:\\d+/ws");
      assertThat(testbed.caFile()).isEqualTo(dir.resolve("ca.crt"));
      assertThat(dir.resolve("server.crt")).exists();
      assertThat(testbed.identities()).hasSize(10);
      assertThat(testbed.registry().size()).isEqualTo(10);
      assertThat(Files.getPosixFilePermissions(testbed.thingsFile().orElseThrow()))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(testbed.startupTime()).isPositive();
    } finally {
      testbed.close();
    }
    for (int port : ports) assertThat(listening(port)).as("port %d after close", port).isFalse();
  }

  @Test
  void withoutAFolderItWorksInATemporaryOneAndRemovesIt() {
    Path temporary;
    try (Testbed testbed = Testbed.builder().generateThings(1).build().start()) {
      temporary = testbed.dir();
      assertThat(temporary.resolve("ca.key")).exists();
    }
    assertThat(temporary).doesNotExist();
  }

  @Test
  void aSecondStartInTheSameFolderReusesItsCaAndThings() {
    String firstThing;
    try (Testbed first = Testbed.builder().dir(dir).generateThings(2).build().start()) {
      firstThing = first.identities().get(0).thing().thingId();
    }
    try (Testbed second = Testbed.builder().dir(dir).build().start()) {
      assertThat(second.identities()).hasSize(2);
      assertThat(second.identities().get(0).thing().thingId()).isEqualTo(firstThing);
    }
  }

  @Test
  void thingsRegisteredInMemoryConnectWithCertificatesIssuedInMemory() throws Exception {
    // The load generator's way: no files, the testbed's CA issues identities in memory.
    Thing first = new Thing("thing-1", "key-" + UUID.randomUUID(), "channel-1");
    try (Testbed testbed = Testbed.builder().things(List.of(first)).build().start()) {
      assertThat(testbed.identities()).isEmpty();
      Thing later = new Thing("thing-2", "key-" + UUID.randomUUID(), "channel-1");
      testbed.registry().register(later); // registered while running
      for (Thing thing : List.of(first, later)) {
        CertifiedKey identity = testbed.certificateAuthority().orElseThrow().issueThing(thing.thingKey(), KeyType.EC_P256, 1);
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + testbed.mqttPort(), "t-" + UUID.randomUUID(), new MemoryPersistence());
        client.connect(TestbedMqttTest.v3Options(ThingTls.context(identity, testbed.caFile(), "TLS"), thing.thingId(), thing.thingKey()));
        client.publish("channels/channel-1/messages", new byte[] {'1'}, 1, false);
        client.disconnect();
        client.close();
      }
      assertThat(testbed.counts().thingsHeardFrom()).isEqualTo(2);
      assertThat(testbed.registry().revoke("thing-2")).isTrue();
      assertThat(testbed.registry().byId("thing-2")).isEmpty();
      CertifiedKey revoked = testbed.certificateAuthority().orElseThrow().issueThing(later.thingKey(), KeyType.EC_P256, 1);
      MqttClient client = new MqttClient("ssl://127.0.0.1:" + testbed.mqttPort(), "t-" + UUID.randomUUID(), new MemoryPersistence());
      assertThatThrownBy(() -> client.connect(TestbedMqttTest.v3Options(ThingTls.context(revoked, testbed.caFile(), "TLS"), later.thingId(), later.thingKey())))
          .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(5));
      client.close();
    }
  }

  @Test
  void aFolderMadeByTheCertsToolkitIsUsedAsItIs() throws Exception {
    TestPki pki = TestPki.create(dir); // ca.crt, ca.key, server.crt, server.key: Mainflux's docker/ssl layout
    String serverCert = Files.readString(pki.serverCert());
    try (Testbed testbed = Testbed.builder().dir(dir).generateThings(1).build().start()) {
      assertThat(testbed.caFile()).isEqualTo(pki.caFile());
      MqttClient client = Paho.connect(testbed, testbed.identities().get(0));
      client.disconnect();
      client.close();
    }
    assertThat(Files.readString(pki.serverCert())).isEqualTo(serverCert);
  }

  @Test
  void aServerCertificateWithoutItsCaIsRefusedInOneLine() throws Exception {
    TestPki pki = TestPki.create(dir);
    Files.delete(pki.caFile());
    assertThatThrownBy(() -> Testbed.builder().dir(dir).build().start())
        .isInstanceOf(TestbedException.class)
        .hasMessageContaining("has server.crt but no ca.crt");
  }

  @Test
  void aTakenPortFailsTheStartInOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Testbed https = Testbed.builder().dir(dir).httpsPort(taken.getLocalPort()).build();
      assertThatThrownBy(https::start).isInstanceOf(TestbedException.class)
          .hasMessage("the HTTPS port " + taken.getLocalPort() + " on 127.0.0.1 is taken (Address already in use)");
      // HiveMQ itself starts although a listener cannot bind: the testbed must not.
      Testbed mqtt = Testbed.builder().dir(dir).mqttPort(taken.getLocalPort()).build();
      assertThatThrownBy(mqtt::start).isInstanceOf(TestbedException.class)
          .hasMessage("the MQTTS port " + taken.getLocalPort() + " on 127.0.0.1 is taken (Address already in use)");
    }
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
