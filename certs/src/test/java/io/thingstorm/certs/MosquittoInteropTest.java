package io.thingstorm.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thing certificate from the toolkit logs into a real mosquitto that requires client certificates. */
class MosquittoInteropTest {
  @TempDir Path dir;

  @Test
  void aThingCertificateLogsInAsItsCnAndItsMessageArrives() {
    String pub = DebianTool.require("mosquitto_pub", "mosquitto-clients").toString();
    String sub = DebianTool.require("mosquitto_sub", "mosquitto-clients").toString();
    TestPki pki = TestPki.create(dir);
    pki.thing("thing-1", "0b5a1c3e-thing-key");
    String payload = "[{\"bn\":\"thing-1:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]";

    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      ExternalCommand.Result published = ExternalCommand.run(List.of(pub,
          "-h", "localhost", "-p", String.valueOf(broker.tlsPort), "--cafile", pki.caFile().toString(),
          "--cert", pki.certFile("thing-1").toString(), "--key", pki.keyFile("thing-1").toString(),
          "-t", "channels/ch-1/messages", "-r", "-q", "1", "-m", payload));
      // Retained, so that the subscriber on the plain listener sees it whenever it subscribes.
      ExternalCommand.Result received = ExternalCommand.run(List.of(sub,
          "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort), "-t", "channels/+/messages", "-C", "1", "-W", "10", "-v"),
          null, Duration.ofSeconds(15));

      assertThat(published.exitCode()).as(published.output() + broker.log()).isZero();
      assertThat(received.stdout()).isEqualTo("channels/ch-1/messages " + payload + "\n");
      assertThat(broker.log()).contains("u'0b5a1c3e-thing-key'");
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedAtTheHandshake() {
    String pub = DebianTool.require("mosquitto_pub", "mosquitto-clients").toString();
    TestPki pki = TestPki.create(dir);
    TestPki stranger = TestPki.create(dir.resolve("stranger"), "stranger CA");
    stranger.thing("intruder", "intruder-key");

    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      ExternalCommand.Result refused = ExternalCommand.run(List.of(pub,
          "-h", "localhost", "-p", String.valueOf(broker.tlsPort), "--cafile", pki.caFile().toString(),
          "--cert", stranger.certFile("intruder").toString(), "--key", stranger.keyFile("intruder").toString(),
          "-t", "channels/ch-1/messages", "-m", "x"));

      assertThat(refused.exitCode()).isNotZero();
      assertThat(broker.log()).contains("certificate verify failed").doesNotContain("u'intruder-key'");
    }
  }
}
