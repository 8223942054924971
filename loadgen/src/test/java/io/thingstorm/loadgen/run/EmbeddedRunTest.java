package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of every protocol against the embedded testbed: what the report says is what the testbed received. */
class EmbeddedRunTest {
  @TempDir Path dir;

  @Test
  void everyProtocolOnTheEmbeddedTestbed_reportAgreesWithTheTestbed() {
    Scenario scenario = ScenarioFiles.write(dir, "small", """
        name: small
        target: {embedded: true}
        fleet:
          count: 40
          protocols: {mqtt3: 50, mqtt5: 20, https: 15, wss: 15}
          subscribers: 1
        phases:
          - connect: {rate: 40}
          - publish: {rate: 200, count: 600}
          - churn: {share: 0.1, duration: 2s}
          - publish: {rate: 200, count: 200}
          - disconnect: {}
        thresholds:
          - "errors < 1 %"
          - "connected >= 40"
        """);
    Path out = dir.resolve("out");

    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

    assertThat(result.stoppedBecause()).isEmpty();
    for (String file : new String[] {"summary.txt", "report.json", "report.html", "publish.hlog", "connect.hlog"}) {
      assertThat(out.resolve(file)).exists();
    }
    RunReport report = ReportReader.read(out);
    assertThat(report.totals().sent()).isEqualTo(800);
    assertThat(report.totals().acknowledged()).isEqualTo(800);
    assertThat(report.totals().failureCount()).isZero();
    assertThat(report.connectedMax()).isEqualTo(40);
    assertThat(report.reconnects()).isEqualTo(8); // 10% of 40 per second for 2 s
    assertThat(report.histogram(Metric.PUBLISH, null).getTotalCount()).isEqualTo(800);
    assertThat(report.histogram(Metric.LAG, null).getTotalCount()).isGreaterThanOrEqualTo(800);
    assertThat(report.histogram(Metric.END_TO_END, null).getTotalCount()).isEqualTo(800);
    assertThat(report.totals().received()).isEqualTo(800);

    CountsSnapshot testbed = result.platformCounts().orElseThrow();
    long mqtt = ScenarioFiles.counts(report, "mqtt3").acknowledged() + ScenarioFiles.counts(report, "mqtt5").acknowledged();
    assertThat(testbed.protocol(Protocol.MQTT).messages()).isEqualTo(mqtt);
    assertThat(testbed.protocol(Protocol.HTTPS).messages()).isEqualTo(ScenarioFiles.counts(report, "https").acknowledged());
    assertThat(testbed.protocol(Protocol.WSS).messages()).isEqualTo(ScenarioFiles.counts(report, "wss").acknowledged());
    assertThat(testbed.total().messages()).isEqualTo(800);
    assertThat(result.thresholdsMet()).as(result.report().verdicts().toString()).isTrue();
  }
}
