package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --shard i/3} as 3 local processes at the same time, each with its own embedded testbed,
 * then {@code report merge}: the merged counts are the sums of the shards', and its percentiles those
 * of the shards' histograms added.
 */
class ShardedRunProcessesTest {
  @TempDir Path dir;

  @Test
  void threeShardProcessesMergeExactly() throws Exception {
    Path scenario = dir.resolve("sharded.yaml");
    Files.writeString(scenario, """
        name: sharded
        target: {embedded: true}
        fleet:
          count: 30
          protocols: {mqtt3: 60, mqtt5: 20, https: 10, wss: 10}
          subscribers: 1
        phases:
          - connect: {rate: 30}
          - publish: {rate: 150, count: 300}
          - disconnect: {}
        thresholds:
          - "errors < 1 %"
          - "connected >= 30"
        """);
    List<Path> dirs = new ArrayList<>();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("shard-" + i);
      dirs.add(out);
      processes.add(thingstorm(dir.resolve("shard-" + i + ".log"), "run", scenario.toString(), "--shard", i + "/3",
          "--out", out.toString(), "--quiet"));
    }
    for (int i = 0; i < 3; i++) {
      Process p = processes.get(i);
      assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("shard-" + i + ".log"))).isZero();
    }

    CliRun merge = CliRun.of("report", "merge", dirs.get(0).toString(), dirs.get(1).toString(), dirs.get(2).toString(),
        "--out", dir.resolve("merged").toString());

    assertThat(merge.exitCode()).as(merge.err()).isZero();
    List<RunReport> shards = dirs.stream().map(ReportReader::read).toList();
    RunReport merged = ReportReader.read(dir.resolve("merged"));
    assertThat(shards).extracting(r -> r.totals().sent()).containsExactly(100L, 100L, 100L);
    assertThat(shards).extracting(RunReport::connectedMax).containsExactly(10L, 10L, 10L);
    assertThat(merged.totals().sent()).isEqualTo(300);
    assertThat(merged.totals().acknowledged()).isEqualTo(shards.stream().mapToLong(r -> r.totals().acknowledged()).sum());
    assertThat(merged.totals().received()).isEqualTo(shards.stream().mapToLong(r -> r.totals().received()).sum());
    assertThat(merged.totals().handshakes()).isEqualTo(30);
    assertThat(merged.connectedMax()).isEqualTo(30);
    for (Metric metric : new Metric[] {Metric.PUBLISH, Metric.CONNECT, Metric.END_TO_END}) {
      Histogram added = RunRecorder.newHistogram();
      shards.forEach(r -> added.add(r.histogram(metric, null)));
      Histogram mergedHistogram = merged.histogram(metric, null);
      assertThat(mergedHistogram.getTotalCount()).isEqualTo(added.getTotalCount());
      for (double p : new double[] {50, 90, 99, 99.9, 100}) {
        assertThat(mergedHistogram.getValueAtPercentile(p)).isEqualTo(added.getValueAtPercentile(p));
      }
    }
    // A shard is judged on its share of a whole-fleet count; the merge on the count as written.
    assertThat(shards).allSatisfy(r -> assertThat(r.verdicts()).extracting(v -> v.threshold())
        .contains("connected >= 30 (shard " + r.shards().get(0).index() + "/3: >= 10)"));
    assertThat(merged.verdicts()).extracting(v -> v.threshold(), v -> v.passed())
        .containsExactly(tuple("errors < 1 %", true), tuple("connected >= 30", true));
  }

  private Process thingstorm(Path log, String... args) throws IOException {
    return CliProcess.of(dir.resolve("jna"), args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
