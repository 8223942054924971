package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scenario files written by tests, and figures read back from reports. */
final class ScenarioFiles {
  private ScenarioFiles() {}

  static Scenario write(Path dir, String name, String yaml) {
    try {
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, yaml);
      return Scenario.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProtocolCounts counts(RunReport report, String protocol) {
    return report.counts().stream().filter(c -> c.protocol().equals(protocol)).findFirst()
        .orElse(ProtocolCounts.none(protocol));
  }

  /** The repository's scenarios/ folder, found from the module's working directory. */
  static Path repositoryScenario(String name) {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("scenarios").resolve(name);
      if (Files.exists(candidate)) return candidate;
    }
    throw new IllegalStateException("no scenarios/" + name + " above " + here);
  }
}
