package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet.mqtt.client: hivemq}: both MQTT versions through HiveMQ's client, every message accounted for. */
class HiveMqClientRunTest {
  @TempDir Path dir;

  @Test
  void devicesAndSubscriberOnTheHiveMqClientDeliverEveryMessage() {
    Scenario scenario = ScenarioFiles.write(dir, "hivemq", """
        name: hivemq
        target: {embedded: true}
        fleet:
          count: 20
          protocols: {mqtt3: 50, mqtt5: 50}
          mqtt: {qos: 1, client: hivemq}
          subscribers: 1
        phases:
          - connect: {rate: 100}
          - publish: {rate: 5000, count: 10000}
          - disconnect: {}
        """);
    Path out = dir.resolve("out");

    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().failureCount()).isZero();
    assertThat(report.totals().acknowledged()).isEqualTo(10_000);
    assertThat(report.totals().received()).isEqualTo(10_000);
    assertThat(result.platformCounts().orElseThrow().protocol(Protocol.MQTT).messages()).isEqualTo(10_000);
    assertThat(report.histogram(Metric.CONNECT, "mqtt3").getTotalCount() + report.histogram(Metric.CONNECT, "mqtt5").getTotalCount())
        .isEqualTo(20);
    assertThat(report.notes()).anySatisfy(note -> assertThat(note).contains("MQTT by the HiveMQ client"));
  }
}
