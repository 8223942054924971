package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose devices publish retained messages: its subscriber, subscribed before they publish,
 * gets them as live messages (retain flag cleared) and counts every one. Only what the broker kept
 * from before the subscriber came is left out (see {@link ChannelSubscriberTest}).
 */
class RetainedRunTest {
  @TempDir Path dir;

  @Test
  void aRunsOwnRetainedMessagesAreReceived() {
    Scenario scenario = ScenarioFiles.write(dir, "retained", """
        name: retained
        target: {embedded: true}
        fleet:
          count: 5
          protocols: {mqtt3: 60, mqtt5: 40}
          mqtt: {qos: 1, retained: true}
          subscribers: 1
        phases:
          - connect: {rate: 50}
          - publish: {rate: 100, count: 50}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().acknowledged()).isEqualTo(50);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(50);
  }
}
