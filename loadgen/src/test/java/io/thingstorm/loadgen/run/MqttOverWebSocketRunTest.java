package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet that speaks MQTT over a WebSocket over TLS ({@code target.mqtt: mqtt+wss://host/mqtt}), as
 * devices behind an HTTPS-only firewall reach Mainflux: MQTT 3.1.1 and 5 devices and the run's own
 * subscriber all go through the testbed's WebSocket listener, and every message is counted at both
 * ends.
 */
class MqttOverWebSocketRunTest {
  @TempDir Path dir;

  @Test
  void aFleetPublishesMqttOverWebSockets_andEveryMessageArrives() throws Exception {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).generateThings(4).channels(1).build().start()) {
      Path manifest = dir.resolve("things.csv");
      ThingManifest.write(manifest, testbed.identities(), false);
      String overWebSocket = testbed.mqttWssUrl().toString().replace("wss://", "mqtt+wss://");
      Scenario scenario = ScenarioFiles.write(dir, "mqtt-ws", """
          name: mqtt-ws
          target:
            mqtt: %s
            ca: %s
            profile: mainflux
          fleet: {manifest: %s, protocols: {mqtt3: 50, mqtt5: 50}, subscribers: 1}
          phases:
            - connect: {rate: 20}
            - publish: {rate: 40, count: 40}
            - disconnect: {}
          """.formatted(overWebSocket, testbed.caFile(), manifest));
      Path out = dir.resolve("out");
      long before = testbed.counts().protocol(Protocol.MQTT_WSS).messages(); // the testbed counts its WebSocket listener apart

      RunEngine.builder().scenario(scenario).out(out).build().run();

      RunReport report = ReportReader.read(out);
      assertThat(report.totals().failureCount()).as(String.join("\n", report.notes())).isZero();
      assertThat(report.totals().acknowledged()).isEqualTo(40);
      assertThat(report.totals().received()).isEqualTo(40);
      assertThat(testbed.awaitCounts(c -> c.protocol(Protocol.MQTT_WSS).messages() >= before + 40, Duration.ofSeconds(5))
          .protocol(Protocol.MQTT_WSS).messages() - before).isEqualTo(40);
    }
  }
}
