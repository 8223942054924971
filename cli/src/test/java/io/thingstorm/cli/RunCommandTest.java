package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thingstorm run}, in-process: exit codes, one-line refusals of bad scenarios, the summary. */
class RunCommandTest {
  @TempDir Path dir;

  @Test
  void aBadScenarioIsOneLineWithFileLineAndField_exit2() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        name: bad
        target: {embedded: true}
        fleet: {count: 10}
        phases:
          - connect: {rate: -5}
        """);

    CliRun run = CliRun.of("run", file.toString(), "--out", dir.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n")
        .contains(file.toString()).contains("line 5").contains("phases[0].connect.rate");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMissingScenarioFileIsExit2() {
    CliRun run = CliRun.of("run", dir.resolve("nothing.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nothing.yaml").contains("no such file");
  }

  @Test
  void aMissedThresholdIsExit3_andNamed_theReportIsWritten() throws IOException {
    Path file = dir.resolve("small.yaml");
    Files.writeString(file, """
        name: small
        target: {embedded: true}
        fleet: {count: 6, protocols: {mqtt3: 50, https: 50}}
        phases:
          - connect: {rate: 20}
          - publish: {rate: 30, count: 30}
          - disconnect: {}
        thresholds:
          - "connected >= 7"
          - "errors < 1 %"
        """);
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("run", file.toString(), "--out", out.toString(), "--quiet");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("threshold missed: connected >= 7 (was 6)").doesNotContain("errors < 1 %");
    assertThat(run.out()).contains("thingstorm run small").contains("report: " + out.resolve("report.html"));
    assertThat(out.resolve("report.json")).isNotEmptyFile();
    assertThat(out.resolve("summary.txt")).isNotEmptyFile();

    // A second run into the same folder is refused before it starts: the first one's report stays.
    byte[] first = Files.readAllBytes(out.resolve("report.json"));
    CliRun again = CliRun.of("run", file.toString(), "--out", out.toString(), "--quiet");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).startsWith("thingstorm: --out: " + out + " holds a report already").hasLineCount(1);
    assertThat(again.out()).isEmpty();
    assertThat(Files.readAllBytes(out.resolve("report.json"))).isEqualTo(first);
  }

  @Test
  void aShardWithNoDevicesIsAUsageError() {
    CliRun run = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--shard", "500/1000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("thingstorm: shard 500/1000 has no devices: the fleet has 200, so at most 200 shards\n");
  }

  @Test
  void checkPrintsThePlanAndConnectsNothing() {
    CliRun run = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--out", dir.resolve("out").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "quickstart: 200 devices (mqtt3 140, mqtt5 20, https 20, wss 20), 1 subscriber per channel; target: the embedded testbed",
        "  connect     200 connections at 100/s, 2.0 s",
        "  publish     3,000 messages at 200/s, 15.0 s",
        "  hold        2.0 s",
        "  churn       50 reconnects at 10/s, 5.0 s (5 % of the fleet a second)",
        "  publish     1,000 messages at 100 rising to 300/s, 5.0 s",
        "  disconnect  200 devices at once",
        "about 29.0 s in all; thresholds: p99 publish latency < 500 ms; errors < 1 %; connected >= 200");
    assertThat(dir.resolve("out")).doesNotExist();

    CliRun shard = CliRun.of("run", "--check", "--shard", "2/3", "../scenarios/quickstart.yaml");
    assertThat(shard.out()).startsWith("quickstart (shard 2/3): 66 devices (")
        .contains("  publish     1,000 messages at 66.67/s, 15.0 s");
  }
}
