package io.thingstorm.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three shards of one scenario, merged: counts are the sums, percentiles those of the added histograms. */
class ReportMergeTest {
  @TempDir Path tmp;
  private final List<SyntheticRun> shards = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @BeforeEach
  void runThreeShards() throws Exception {
    for (int i = 0; i < 3; i++) {
      SyntheticRun run = SyntheticRun.record(tmp.resolve("shard-" + i), 10 + i, new Shard(i, 3));
      ReportWriter.write(run.report, run.dir);
      shards.add(run);
      dirs.add(run.dir);
    }
  }

  @Test
  void countsAreTheSumsOfTheShards() {
    RunReport merged = ReportMerge.merge(dirs, tmp.resolve("merged"), null);

    ProtocolCounts total = merged.totals();
    assertThat(total.sent()).isEqualTo(shards.stream().mapToLong(s -> s.report.totals().sent()).sum()).isEqualTo(3 * 4501);
    assertThat(total.acknowledged()).isEqualTo(3 * 4500);
    assertThat(total.received()).isEqualTo(3 * 4500);
    assertThat(total.handshakes()).isEqualTo(3 * 90);
    assertThat(total.failures()).containsEntry("unknown_ca", 3 * 24L).containsEntry("http_403", 3 * 12L);
    assertThat(merged.reconnects()).isEqualTo(3);
    assertThat(merged.connectedMax()).isEqualTo(3 * 90);
    // each shard's JVM is listed; per connect and per message, the CPU of all over the work of all
    assertThat(merged.generators()).hasSize(3);
    assertThat(merged.generator().connects()).isEqualTo(3 * 90);
    assertThat(merged.generator().messages()).isEqualTo(3 * 4_500);
    assertThat(merged.value("generator.cpu.ms_per_connect")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(merged.value("generator.cpu.us_per_message")).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(merged.generator().heapUsedMaxBytes())
        .isEqualTo(shards.stream().mapToLong(s -> s.report.generator().heapUsedMaxBytes()).max().orElseThrow());
    assertThat(TextSummary.render(merged)).containsPattern("(?m)^generator 1\\.00 ms CPU per connect, 10\\.0 µs per message; "
        + ".* \\(3 JVMs: CPU per connect and per message over all, the rest the busiest's\\)$");
    assertThat(merged.shards()).containsExactly(new Shard(0, 3), new Shard(1, 3), new Shard(2, 3));
    for (Latency l : merged.latencies()) {
      long sum = shards.stream().mapToLong(s -> s.expected(l.metric(), l.protocol()).getTotalCount()).sum();
      assertThat(l.histogram().getTotalCount()).as(l.metric() + "/" + l.protocol()).isEqualTo(sum);
    }
  }

  @Test
  void percentilesAreThoseOfTheAddedHistograms() {
    RunReport merged = ReportMerge.merge(dirs, tmp.resolve("merged"), null);

    for (Metric metric : List.of(Metric.PUBLISH, Metric.CONNECT, Metric.TLS_HANDSHAKE, Metric.LAG)) {
      Histogram added = RunRecorder.newHistogram();
      shards.forEach(s -> added.add(s.expected(metric)));
      assertThat(merged.histogram(metric, null)).isEqualTo(added);
      for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
        double expected = p.equals("max") ? added.getMaxValue() / 1000.0
            : added.getValueAtPercentile(RunReport.percentileOf(p)) / 1000.0;
        assertThat(merged.value(metric.key() + ".latency." + p)).as(metric + " " + p).isEqualTo(expected);
      }
    }
    // and read back from the merged folder, as 'thingstorm report' would
    RunReport reread = ReportReader.read(tmp.resolve("merged"));
    assertThat(reread.value("publish.latency.p999")).isEqualTo(merged.value("publish.latency.p999"));
  }

  @Test
  void timelinesAddUpSecondBySecondWithPercentilesFromTheIntervalLogs() {
    RunReport merged = ReportMerge.merge(dirs, tmp.resolve("merged"), null);

    TimelinePoint second1 = merged.timeline().get(0);
    assertThat(second1.second()).isEqualTo(1);
    assertThat(second1.sentPerSecond()).isEqualTo(3 * 1500);
    assertThat(second1.connected()).isEqualTo(3 * 30);
    assertThat(second1.errors()).containsEntry("unknown_ca", 3 * 8L);
    assertThat(second1.warmUpPerSecond()).isEqualTo(3 * 150); // the warm-up's own line adds up too
    assertThat(merged.timeline().get(1).warmUpPerSecond()).isZero();
    // the first second's publish intervals of all shards and protocols, added
    Histogram first = RunRecorder.newHistogram();
    for (Path dir : dirs) {
      ReportReader.intervals(dir, Metric.PUBLISH).stream().limit(2).forEach(first::add);
    }
    assertThat(second1.publishP99Ms()).isEqualTo(first.getValueAtPercentile(99) / 1000.0);
    // the merged log holds the same totals as the merged report
    Histogram logged = RunRecorder.newHistogram();
    ReportReader.intervals(tmp.resolve("merged"), Metric.PUBLISH).forEach(logged::add);
    assertThat(logged).isEqualTo(merged.histogram(Metric.PUBLISH, null));
  }

  @Test
  void thresholdsAreJudgedAgainWhenAJudgeIsGivenElseDroppedWithANote() {
    RunReport unjudged = ReportMerge.merge(dirs, tmp.resolve("unjudged"), null);
    assertThat(unjudged.verdicts()).isEmpty();
    assertThat(unjudged.notes()).anyMatch(n -> n.startsWith("thresholds not judged"));

    ThresholdJudge p99Under250 = (thresholds, report) -> List.of(new Verdict(thresholds.get(0),
        report.value("publish.latency.p99") < 250, report.value("publish.latency.p99")));
    RunReport judged = ReportMerge.merge(dirs, tmp.resolve("judged"), p99Under250);
    assertThat(judged.verdicts()).singleElement().satisfies(v -> {
      assertThat(v.threshold()).isEqualTo("p99 publish latency < 250 ms");
      assertThat(v.passed()).isTrue();
      assertThat(v.actual()).isEqualTo(judged.value("publish.latency.p99"));
    });
    assertThat(ReportReader.read(tmp.resolve("judged")).verdicts()).isEqualTo(judged.verdicts());
  }
}
