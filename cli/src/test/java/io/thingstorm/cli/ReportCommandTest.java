package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.report.Machine;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.ReportWriter;
import io.thingstorm.loadgen.report.RunFacts;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void rendersAReportFolderAgainAndPrintsItsSummary() throws IOException {
    Path run = shard(0, 1);
    Files.delete(run.resolve("summary.txt"));
    Files.delete(run.resolve("report.html"));

    CliRun r = CliRun.of("report", run.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("thingstorm run: cli\n");
    assertThat(r.out()).containsPattern("publish\\s+mqtt3\\s+100 ");
    assertThat(r.out()).endsWith("wrote " + run.resolve("summary.txt") + " and " + run.resolve("report.html") + "\n");
    assertThat(run.resolve("summary.txt")).content().isEqualTo(r.out().substring(0, r.out().indexOf("\nwrote ")));
    assertThat(run.resolve("report.html")).content().contains("uPlot", "id=\"report-data\"");
  }

  @Test
  void mergesShardsIntoOneReport() throws IOException {
    Path a = shard(0, 3), b = shard(1, 3), c = shard(2, 3);
    Path out = tmp.resolve("merged");

    CliRun r = CliRun.of("report", "merge", a.toString(), b.toString(), c.toString(), "--out", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("thingstorm run: cli (3 shards merged)\n").endsWith("merged 3 reports into " + out + "\n");
    RunReport merged = ReportReader.read(out);
    assertThat(merged.totals().sent()).isEqualTo(300);
    assertThat(merged.histogram(Metric.PUBLISH, null).getTotalCount()).isEqualTo(300);
    // The scenario's thresholds are judged again on the merged figures.
    assertThat(merged.verdicts()).singleElement().satisfies(v -> {
      assertThat(v.threshold()).isEqualTo("p99 publish latency < 250 ms");
      assertThat(v.passed()).isTrue();
    });
    assertThat(merged.notes()).noneMatch(n -> n.startsWith("thresholds not judged"));
    assertThat(out.resolve("publish.hlog")).exists();
    assertThat(out.resolve("report.html")).exists();
  }

  @Test
  void aFolderWithoutAReportFailsInOneLine() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliRun r = CliRun.of("report", empty.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("thingstorm: " + empty + " holds no report.json\n");

    Files.writeString(empty.resolve("report.json"), "{\"results\": []}");
    r = CliRun.of("report", empty.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("thingstorm: " + empty.resolve("report.json")
        + " is not a thingstorm report (no format field, expected thingstorm-report/1)\n");
  }

  @Test
  void aReportJsonWithAFieldOfTheWrongShapeIsRefused_andNothingIsRewritten() throws IOException {
    Path run = shard(0, 1);
    Path json = run.resolve("report.json");
    Files.writeString(json, Files.readString(json).replaceFirst("\"latency\" : \\[", "\"latency\" : \"x\", \"was\" : ["));
    byte[] summary = Files.readAllBytes(run.resolve("summary.txt"));
    byte[] html = Files.readAllBytes(run.resolve("report.html"));

    CliRun r = CliRun.of("report", run.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("thingstorm: " + json + " is damaged (latency is text \"x\", not a list)\n");
    assertThat(r.out()).isEmpty();
    assertThat(Files.readAllBytes(run.resolve("summary.txt"))).isEqualTo(summary);
    assertThat(Files.readAllBytes(run.resolve("report.html"))).isEqualTo(html);
  }

  @Test
  void usageErrorsExitWith2() throws IOException {
    assertThat(CliRun.of("report").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("report").err()).startsWith("thingstorm: name a report folder: thingstorm report DIR");
    assertThat(CliRun.of("report", "merge", "--out", tmp.toString()).exitCode()).isEqualTo(2);
    Path a = shard(0, 2);
    CliRun sameOut = CliRun.of("report", "merge", a.toString(), "--out", a.toString());
    assertThat(sameOut.exitCode()).isEqualTo(2);
    assertThat(sameOut.err()).contains("is one of the reports being merged");
  }

  @Test
  void aThresholdTheMergedShardsMissExitsWith3AsRunDoes() throws IOException {
    Path a = shard(0, 2, "p99 publish latency < 5 ms"), b = shard(1, 2, "p99 publish latency < 5 ms");
    Path out = tmp.resolve("merged");

    CliRun merge = CliRun.of("report", "merge", a.toString(), b.toString(), "--out", out.toString());
    CliRun again = CliRun.of("report", out.toString());

    assertThat(merge.exitCode()).isEqualTo(3);
    assertThat(merge.err()).matches("thingstorm: threshold missed: p99 publish latency < 5 ms \\(was 19\\.[0-9]+\\)\n");
    assertThat(merge.out()).contains("FAIL").endsWith("merged 2 reports into " + out + "\n");
    assertThat(out.resolve("report.json")).exists();
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err()).isEqualTo(merge.err());
  }

  @Test
  void aMergeNeverReplacesAReportAlreadyInItsOutFolder() throws IOException {
    Path a = shard(0, 2), b = shard(1, 2), earlier = shard(0, 1);
    byte[] before = Files.readAllBytes(earlier.resolve("report.json"));

    CliRun r = CliRun.of("report", "merge", a.toString(), b.toString(), "--out", earlier.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("thingstorm: --out: " + earlier + " holds a report already (report.json): name a new folder,"
        + " reports are never replaced\n");
    assertThat(Files.readAllBytes(earlier.resolve("report.json"))).isEqualTo(before);
  }

  @Test
  void aMergeRefusesARunCountedTwiceOrShardsOfDifferentSplits_andNamesMissingShards() throws IOException {
    Path a = shard(0, 2), other = shard(1, 3), whole = shard(0, 1);

    CliRun twice = CliRun.of("report", "merge", a.toString(), a.toString(), "--out", tmp.resolve("twice").toString());
    CliRun mixed = CliRun.of("report", "merge", a.toString(), other.toString(), "--out", tmp.resolve("mixed").toString());
    CliRun withWhole = CliRun.of("report", "merge", a.toString(), whole.toString(), "--out", tmp.resolve("with-whole").toString());
    CliRun alone = CliRun.of("report", "merge", a.toString(), "--out", tmp.resolve("alone").toString());

    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).startsWith("thingstorm: shard 0/2 of the run started ").endsWith(" is given twice: each report once\n");
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err()).isEqualTo("thingstorm: the reports come from different splits ([i/2, i/3]): merge the shards of one split\n");
    assertThat(withWhole.exitCode()).isEqualTo(2);
    assertThat(withWhole.err())
        .isEqualTo("thingstorm: the reports come from different splits ([i/2, 0/1, a whole run]): merge the shards of one split\n");
    // A merge refused leaves no --out folder behind.
    assertThat(tmp.resolve("twice")).doesNotExist();
    assertThat(tmp.resolve("mixed")).doesNotExist();
    assertThat(tmp.resolve("with-whole")).doesNotExist();
    assertThat(alone.exitCode()).as(alone.err()).isZero();
    assertThat(ReportReader.read(tmp.resolve("alone")).notes())
        .contains("shards missing: 1/2; the merged figures cover only the shards given");
  }

  @Test
  void aMergeRefusesRunsOfDifferentScenarios_namingBothFolders() throws IOException {
    Path a = shard(0, 2), b = run("other", 1, 2, "p99 publish latency < 250 ms", "name: cli\nfleet: {count: 20}\n");

    CliRun r = CliRun.of("report", "merge", a.toString(), b.toString(), "--out", tmp.resolve("merged").toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("thingstorm: " + a + " and " + b + " ran different scenario texts: merge the shards of one scenario\n");
    assertThat(tmp.resolve("merged")).doesNotExist();
  }

  @Test
  void aMergeThatFailsLeavesNoOutFolder_butKeepsOneThatWasThere() throws IOException {
    Path a = shard(0, 2);
    Path missing = tmp.resolve("no-such-run");
    Path existing = Files.createDirectories(tmp.resolve("existing"));

    CliRun intoNew = CliRun.of("report", "merge", a.toString(), missing.toString(), "--out", tmp.resolve("new/merged").toString());
    CliRun intoExisting = CliRun.of("report", "merge", a.toString(), missing.toString(), "--out", existing.toString());

    assertThat(intoNew.exitCode()).isEqualTo(1);
    assertThat(intoNew.err()).isEqualTo("thingstorm: no such folder: " + missing + "\n");
    assertThat(tmp.resolve("new")).doesNotExist();
    assertThat(intoExisting.exitCode()).isEqualTo(1);
    assertThat(existing).isEmptyDirectory();
  }

  private Path shard(int index, int count) {
    return shard(index, count, "p99 publish latency < 250 ms");
  }

  private Path shard(int index, int count, String threshold) {
    return run("shard-" + index + "-of-" + count, index, count, threshold, "name: cli\n");
  }

  /** A small run of one shard: 100 publishes over mqtt3 in one second of a clock that only moves when told. */
  private Path run(String name, int index, int count, String threshold, String scenarioText) {
    Path dir = tmp.resolve(name);
    AtomicLong millis = new AtomicLong(Instant.parse("2026-03-04T05:06:07Z").toEpochMilli() + index * 13L);
    InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    RunRecorder recorder = RunRecorder.start(dir, clock);
    recorder.connected(1);
    recorder.handshake("mqtt3", false);
    recorder.record(Metric.CONNECT, "mqtt3", 12_000_000);
    for (int i = 0; i < 100; i++) {
      recorder.sent("mqtt3", 64);
      recorder.acknowledged("mqtt3");
      recorder.record(Metric.PUBLISH, "mqtt3", (1 + i + index * 100) * 100_000L);
    }
    millis.addAndGet(1000);
    recorder.tick();
    RunFacts facts = new RunFacts("cli", scenarioText, new Shard(index, count), Machine.current("SunJSSE"),
        null, null, false, List.of(threshold), List.of());
    ReportWriter.write(RunReport.of(facts, recorder.finish()), dir);
    return dir;
  }
}
