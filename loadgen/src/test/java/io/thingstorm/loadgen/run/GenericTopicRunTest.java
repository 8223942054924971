package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform whose topics are not Mainflux's: the generic profile's {@code target.topic} lays them
 * out per thing, as AWS IoT or a plain broker would have it. mosquitto_sub, watching the broker
 * from outside, sees each message under its thing's own topic; the run's own subscriber, which
 * subscribes with '+' for the thing, counts every one.
 */
class GenericTopicRunTest {
  @TempDir Path dir;

  @Test
  void eachThingPublishesUnderItsOwnTopic_andTheRunsSubscriberSeesThemAll() throws Exception {
    TestPki pki = TestPki.create(dir);
    String mosquittoSub = DebianTool.require("mosquitto_sub", "mosquitto-clients").toString();
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      Process watcher = new ProcessBuilder(mosquittoSub, "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort),
          "-t", "devices/+/up/#", "-v", "-C", "40", "-W", "60").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Scenario scenario = ScenarioFiles.write(dir, "generic", """
          name: generic
          target:
            mqtt: mqtts://localhost:%d
            ca: %s
            profile: generic
            topic: "devices/{thing_id}/up/{subtopic}"
          fleet: {count: 4, issuer: %s, protocols: {mqtt3: 50, mqtt5: 50}, subscribers: 1}
          phases:
            - connect: {rate: 50}
            - publish: {rate: 40, count: 40}
          """.formatted(broker.tlsPort, pki.caFile(), pki.dir));
      Path out = dir.resolve("out");

      RunEngine.builder().scenario(scenario).out(out).build().run();

      assertThat(watcher.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_sub got its 40 messages").isTrue();
      List<String> seen = new String(watcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertThat(seen).hasSize(40).allMatch(line -> line.matches("devices/[0-9a-f-]{36}/up/mqtt[35] \\[.*"));
      assertThat(seen.stream().map(line -> line.split("/")[1]).distinct()).hasSize(4);
      RunReport report = ReportReader.read(out);
      assertThat(report.totals().acknowledged()).isEqualTo(40);
      assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(40);
    }
  }

  /** Topics without the channel: one channel's subscribers see every message, and they alone count. */
  @Test
  void aLayoutWithoutTheChannelIsCountedOnce() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      Scenario scenario = ScenarioFiles.write(dir, "no-channel", """
          name: no-channel
          target:
            mqtt: mqtts://localhost:%d
            ca: %s
            profile: generic
            topic: "fleet/{thing_id}/{subtopic}"
          fleet: {count: 4, issuer: %s, channelsPerThing: 2, protocols: {mqtt3: 100}, subscribers: 1}
          phases:
            - connect: {rate: 50}
            - publish: {rate: 40, count: 40}
          """.formatted(broker.tlsPort, pki.caFile(), pki.dir));
      Path out = dir.resolve("out-no-channel");

      RunEngine.builder().scenario(scenario).out(out).build().run();

      RunReport report = ReportReader.read(out);
      assertThat(report.totals().acknowledged()).isEqualTo(40);
      assertThat(report.totals().received()).as("each message once, not once per channel").isEqualTo(40);
      assertThat(report.undelivered()).isZero();
    }
  }
}
