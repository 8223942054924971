package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certs bulk --force} stopped by a signal half-way: the fleet that was there stays whole, and nothing is left behind. */
class BulkInterruptedTest {
  @TempDir Path dir;

  @Test
  void sigtermHalfWayLeavesTheOldFleetAsItWasAndNoHiddenFolder() throws Exception {
    Path fleet = dir.resolve("fleet");
    assertThat(CliRun.of("certs", "bulk", "--dir", fleet.toString(), "--new-ca", "--count", "3").exitCode()).isZero();
    String manifest = Files.readString(fleet.resolve("things.csv"));
    List<String> oldFiles = names(fleet.resolve("things"));

    // Far more things than it can issue before the signal: it is stopped while the new fleet is written.
    Process bulk = CliProcess.of(dir.resolve("jna"), "certs", "bulk", "--dir", fleet.toString(), "--count", "200000", "--force").redirectErrorStream(true).redirectOutput(dir.resolve("bulk.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (stagedKeys(fleet) < 2 && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(stagedKeys(fleet)).as("keys written half-way").isGreaterThanOrEqualTo(2);

      bulk.toHandle().destroy(); // SIGTERM; Ctrl-C's SIGINT runs the same shutdown hooks
      assertThat(bulk.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      bulk.destroyForcibly();
    }

    assertThat(bulk.exitValue()).isNotZero();
    assertThat(names(fleet)).containsExactlyInAnyOrder("ca.crt", "ca.key", "things", "things.csv");
    assertThat(Files.readString(fleet.resolve("things.csv"))).isEqualTo(manifest);
    assertThat(names(fleet.resolve("things"))).containsExactlyInAnyOrderElementsOf(oldFiles);
  }

  private static long stagedKeys(Path fleet) throws Exception {
    try (Stream<Path> files = Files.list(fleet)) {
      Path staging = files.filter(p -> p.getFileName().toString().startsWith(".things.partial-")).findFirst().orElse(null);
      if (staging == null) return 0;
      try (Stream<Path> staged = Files.list(staging)) {
        return staged.filter(p -> p.toString().endsWith(".key")).count();
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      return 0;
    }
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
