package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thingstorm run} ended by SIGTERM, as Kubernetes ends a pod: the report of what ran says which signal it was. */
class RunStoppedBySignalTest {
  @TempDir Path dir;

  @Test
  void sigtermIsNamedInTheStoppedNote_notCtrlC() throws Exception {
    Path scenario = Files.writeString(dir.resolve("long.yaml"), """
        name: long
        target: {embedded: true}
        fleet: {count: 2, subscribers: 0}
        phases:
          - connect: {rate: 10}
          - hold: 60s
        """);
    Path out = dir.resolve("out");
    Process run = CliProcess.of(dir.resolve("jna"), "run", scenario.toString(), "--out", out.toString(), "--quiet")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).startsWith("thingstorm run long:");
      Thread.sleep(2_000); // into the run, past its set-up

      run.toHandle().destroy(); // SIGTERM
      lines.lines().forEach(line -> {}); // up to its exit
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      run.destroyForcibly();
    }

    assertThat(run.exitValue()).isEqualTo(143);
    assertThat(Files.readString(out.resolve("summary.txt"))).contains("stopped early: stopped by SIGTERM")
        .doesNotContain("Ctrl-C");
  }
}
