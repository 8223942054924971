package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.report.ReportMerge;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.loadgen.scenario.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One scenario as 3 shards, each with its own embedded testbed, then merged: the merged counts are
 * the sums of the shards', and its percentiles those of the shards' histograms added.
 */
class ShardedRunTest {
  @TempDir Path dir;

  @Test
  void threeShardsMergeExactly() {
    Scenario scenario = ScenarioFiles.write(dir, "sharded", """
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
        """);
    // One after another: HiveMQ's extension services are JVM-wide, so two embedded testbeds
    // starting at once in one JVM can answer with each other's registry. Shards as processes, at
    // the same time, are tested in the cli module.
    List<Path> dirs = new ArrayList<>();
    List<RunReport> shards = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("shard-" + i);
      dirs.add(out);
      shards.add(RunEngine.builder().scenario(scenario).shard(new Shard(i, 3)).out(out).build().run().report());
    }
    assertThat(shards).extracting(r -> r.totals().sent()).containsExactly(100L, 100L, 100L);
    assertThat(shards).extracting(RunReport::connectedMax).containsExactly(10L, 10L, 10L);

    RunReport merged = ReportMerge.merge(dirs, dir.resolve("merged"), new ThresholdCheck());

    assertThat(ReportReader.read(dir.resolve("merged")).totals()).isEqualTo(merged.totals());
    assertThat(merged.totals().sent()).isEqualTo(300);
    assertThat(merged.totals().acknowledged()).isEqualTo(shards.stream().mapToLong(r -> r.totals().acknowledged()).sum());
    assertThat(merged.totals().received()).isEqualTo(shards.stream().mapToLong(r -> r.totals().received()).sum());
    assertThat(merged.totals().handshakes()).isEqualTo(shards.stream().mapToLong(r -> r.totals().handshakes()).sum());
    Histogram added = RunRecorder.newHistogram();
    shards.forEach(r -> added.add(r.histogram(Metric.PUBLISH, null)));
    Histogram mergedPublish = merged.histogram(Metric.PUBLISH, null);
    assertThat(mergedPublish.getTotalCount()).isEqualTo(300);
    for (double p : new double[] {50, 90, 99, 99.9, 100}) {
      assertThat(mergedPublish.getValueAtPercentile(p)).isEqualTo(added.getValueAtPercentile(p));
    }
  }
}
