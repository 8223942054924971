package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warmup phase sends for real (the platform counts it) but enters no figure of the report: not
 * its latencies, not its counts, not what the subscriber received of it. The report says it ran.
 */
class WarmUpRunTest {
  @TempDir Path dir;

  @Test
  void warmUpMessagesReachThePlatformButNoFigureOfTheReport() {
    Scenario scenario = ScenarioFiles.write(dir, "warm", """
        name: warm
        target: {embedded: true}
        fleet:
          count: 20
          protocols: {mqtt3: 80, https: 20}
          mqtt: {qos: 1}
          subscribers: 1
        phases:
          - connect: {rate: 100}
          - warmup: {rate: 1000, count: 2000}
          - publish: {rate: 500, count: 1000}
          - disconnect: {}
        """);
    Path out = dir.resolve("out");

    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    String notes = String.join("\n", report.notes());
    assertThat(report.totals().sent()).as(notes).isEqualTo(1_000);
    assertThat(report.totals().acknowledged()).isEqualTo(1_000);
    assertThat(report.totals().received()).as("the subscriber left the warm-up out").isEqualTo(1_000);
    assertThat(report.totals().failureCount()).isZero();
    assertThat(report.histogram(Metric.PUBLISH, null).getTotalCount()).isEqualTo(1_000);
    assertThat(report.histogram(Metric.END_TO_END, null).getTotalCount()).isEqualTo(1_000);
    assertThat(report.histogram(Metric.LAG, null).getTotalCount()).as("one per connect and per measured message")
        .isEqualTo(20 + 1_000);
    assertThat(notes).contains("warm-up: 2,000 messages").contains("(2,000 acknowledged, 0 failed)");
    assertThat(report.timeline()).anyMatch(p -> p.warmUpPerSecond() > 0);

    CountsSnapshot testbed = result.platformCounts().orElseThrow();
    assertThat(testbed.protocol(Protocol.MQTT).messages() + testbed.protocol(Protocol.HTTPS).messages())
        .as("the platform counts the warm-up too").isEqualTo(3_000);
  }

  /**
   * The subscriber is never sent the warm-up's messages: given them, a subscriber slower than the
   * fleet still worked through that backlog when the counted messages came, and their end-to-end
   * latency timed its drain (1,500,000 warm-up messages into mosquitto: none of the counted ones
   * arrived within the 60 s wait). Against a testbed of the test's own, which counts what its broker
   * forwards.
   */
  @Test
  void theSubscriberIsSentTheCountedMessagesAlone() {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).generateThings(10).build().start()) {
      Scenario scenario = ScenarioFiles.write(dir, "warm-platform", """
          name: warm-platform
          target:
            mqtt: %s
            ca: %s
            profile: mainflux
          fleet:
            manifest: %s
            protocols: {mqtt3: 100}
            mqtt: {qos: 1}
            subscribers: 1
          phases:
            - connect: {rate: 100}
            - warmup: {rate: 1000, count: 1000}
            - publish: {rate: 500, count: 300}
            - disconnect: {}
          """.formatted(testbed.mqttUrl(), testbed.caFile(), testbed.thingsFile().orElseThrow()));
      Path out = dir.resolve("platform-out");

      RunEngine.builder().scenario(scenario).out(out).build().run();

      RunReport report = ReportReader.read(out);
      assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(300);
      assertThat(testbed.forwardedMessages()).as("PUBLISH packets the broker sent to the run's one subscriber").isEqualTo(300);
    }
  }
}
