package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.report.Machine;
import io.thingstorm.loadgen.report.RunFacts;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.Shard;
import io.thingstorm.loadgen.report.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdCheckTest {
  @TempDir Path dir;

  /** As a tester saw it: the subscriber's first, cold connect took 311 ms, the devices' at most 68. */
  @Test
  void connectThresholdsJudgeTheDevicesNotTheRunsOwnSubscribers() {
    List<String> thresholds = List.of("max connect latency < 100 ms", "p99 connect latency < 100 ms");
    RunReport report;
    try (RunRecorder recorder = RunRecorder.start(dir)) {
      recorder.record(Metric.CONNECT, "mqtt3", Duration.ofMillis(12).toNanos());
      recorder.record(Metric.CONNECT, "mqtt3", Duration.ofMillis(68).toNanos());
      recorder.record(Metric.CONNECT, "https", Duration.ofMillis(20).toNanos());
      recorder.record(Metric.CONNECT, ChannelSubscriber.PROTOCOL, Duration.ofMillis(311).toNanos());
      report = RunReport.of(new RunFacts("connects", "", Shard.WHOLE, new Machine(2, "21", "Test", "Linux", "SunJSSE"),
          Duration.ofSeconds(1), Duration.ZERO, true, thresholds, List.of()), recorder.finish());
    }

    List<Verdict> verdicts = new ThresholdCheck().judge(thresholds, report);

    assertThat(verdicts).allMatch(Verdict::passed, "passed");
    assertThat(report.value("connect.latency.max")).isBetween(67.0, 69.0);
    assertThat(report.value("connect.count")).isEqualTo(3);
    // The subscriber's own row is still there to read, and to judge when named.
    assertThat(report.value("connect.subscriber.latency.max")).isBetween(310.0, 312.0);
  }
}
