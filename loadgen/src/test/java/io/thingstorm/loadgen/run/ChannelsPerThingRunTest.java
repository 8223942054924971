package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Things on two channels each, one subscriber per channel. Both subscribers take the identity of the
 * same thing, so each needs a client id of its own: with one id, the broker would close the first
 * session when the second connects, and that channel's messages would never be received.
 */
class ChannelsPerThingRunTest {
  @TempDir Path dir;

  @Test
  void everyChannelsSubscriberStaysConnectedAndReceivesItsMessages() {
    Scenario scenario = ScenarioFiles.write(dir, "two-channels", """
        name: two-channels
        target: {embedded: true}
        fleet:
          count: 10
          channelsPerThing: 2
          protocols: {mqtt3: 100}
          mqtt: {qos: 1}
          subscribers: 1
        phases:
          - connect: {rate: 100}
          - publish: {rate: 200, count: 200}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().acknowledged()).isEqualTo(200);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(200);
    assertThat(report.totals().failureCount()).as(report.totals().failures().toString()).isZero();
  }
}
