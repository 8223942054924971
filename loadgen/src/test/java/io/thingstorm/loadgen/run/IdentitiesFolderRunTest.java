package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.loadgen.scenario.ScenarioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet.identities: DIR} on the embedded testbed: the first run issues the fleet into DIR as
 * {@code certs bulk} lays it out, with the testbed's CA beside it; the second issues nothing, reads
 * them, and its devices connect to a testbed that still trusts them.
 */
class IdentitiesFolderRunTest {
  @TempDir Path dir;

  private static final String SCENARIO = """
      name: kept
      target: {embedded: true}
      fleet:
        count: 6
        identities: kept-fleet
        protocols: {mqtt3: 50, mqtt5: 50}
        subscribers: 0
      phases:
        - connect: {rate: 200}
        - publish: {rate: 100, count: 12}
        - disconnect: {}
      """;

  @Test
  void theSecondRunReadsWhatTheFirstIssued_andItsDevicesConnect() throws IOException {
    Path kept = dir.resolve("kept-fleet");

    RunReport first = run("first");
    List<ManifestEntry> fleet = ThingManifest.read(kept.resolve("things.csv"));
    assertThat(fleet).hasSize(6);
    assertThat(first.connectedMax()).isEqualTo(6);
    assertThat(first.notes()).contains("identities: issued into " + kept + " (6 things); later runs read them from there");
    for (ManifestEntry thing : fleet) {
      assertThat(Files.getPosixFilePermissions(thing.key())).as("%s", thing.key())
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
    assertThat(kept.resolve("ca.crt")).exists();
    assertThat(kept.resolve("ca.key")).exists();
    Map<Path, FileTime> written = modified(kept);

    RunReport second = run("second");
    assertThat(second.notes()).contains("identities: read from " + kept + " (6 things, none issued)");
    assertThat(second.connectedMax()).isEqualTo(6);
    assertThat(second.totals().failureCount()).isZero();
    assertThat(second.totals().acknowledged()).isEqualTo(12);
    // Nothing was issued or rewritten: the same files, untouched, and no new ones.
    assertThat(modified(kept)).isEqualTo(written);

    // A fleet that needs more things than the folder holds is refused before anything starts.
    Files.writeString(dir.resolve("more.yaml"), SCENARIO.replace("count: 6", "count: 8"));
    assertThatThrownBy(() -> Scenario.load(dir.resolve("more.yaml")))
        .isInstanceOf(ScenarioException.class)
        .hasMessage(dir.resolve("more.yaml") + " line 5: fleet.identities: " + kept
            + " holds 6 things, the fleet needs 8: remove it, or name another folder, to issue a new fleet");
  }

  private RunReport run(String name) {
    Scenario scenario = ScenarioFiles.write(dir, "kept", SCENARIO);
    Path out = dir.resolve(name);
    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();
    assertThat(result.stoppedBecause()).isEmpty();
    return ReportReader.read(out);
  }

  private static Map<Path, FileTime> modified(Path folder) throws IOException {
    Map<Path, FileTime> times = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.sorted().toList()) times.put(f, Files.getLastModifiedTime(f));
    }
    return times;
  }
}
