package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rates hold: 2,000 msg/s for 10 s at QoS 1 is exactly 20,000 messages, all received; the lag is in the report. */
class PublishRateTest {
  @TempDir Path dir;

  @Test
  void twoThousandMessagesPerSecondForTenSeconds_allArriveAtQos1() {
    Scenario scenario = ScenarioFiles.write(dir, "rate", """
        name: rate
        target: {embedded: true}
        fleet:
          count: 100
          protocols: {mqtt3: 100}
          mqtt: {qos: 1}
          subscribers: 0
        phases:
          - connect: {rate: 100}
          - publish: {rate: 2000, duration: 10s}
          - disconnect: {}
        """);
    Path out = dir.resolve("out");

    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().sent()).isEqualTo(20_000);
    assertThat(report.totals().acknowledged()).isEqualTo(20_000);
    assertThat(report.totals().failureCount()).isZero();
    CountsSnapshot testbed = result.platformCounts().orElseThrow();
    assertThat(testbed.protocol(Protocol.MQTT).messages()).isEqualTo(20_000);
    assertThat(report.histogram(Metric.PUBLISH, "mqtt3").getTotalCount()).isEqualTo(20_000);
    // The generator's own lag: one sample per connect and per message.
    assertThat(report.histogram(Metric.LAG, "mqtt3").getTotalCount()).isEqualTo(100 + 20_000);
    assertThat(out.resolve("lag.hlog")).isNotEmptyFile();
  }
}
