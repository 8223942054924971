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
  }
}
