package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that ends right after a burst, with no hold: the subscriber is still receiving what the
 * broker forwards. Those messages were delivered, not lost, and the report says they came late.
 */
class SubscriberCatchUpTest {
  @TempDir Path dir;

  @Test
  void messagesStillOnTheirWayWhenTheLastPhaseEndsAreReceivedNotLost() {
    Scenario scenario = ScenarioFiles.write(dir, "burst", """
        name: burst
        target: {embedded: true}
        fleet:
          count: 20
          protocols: {mqtt3: 100}
          mqtt: {qos: 1}
          subscribers: 1
        phases:
          - connect: {rate: 100}
          - publish: {rate: 20000, count: 10000}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().acknowledged()).isEqualTo(10_000);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(10_000);
  }
}
