package io.thingstorm.loadgen.scenario;

import static io.thingstorm.testing.HostileInput.BUDGET;
import static io.thingstorm.testing.HostileInput.nested;
import static io.thingstorm.testing.HostileInput.padded;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.testing.FuzzInput;
import io.thingstorm.testing.HostileInput;
import io.thingstorm.testing.HostileInput.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario files of about 1 MB built to exhaust YAML parsing: each is refused in one line, within a fixed allocation. */
class HostileScenarioTest {
  private static final ScenarioReader READER = ScenarioReader.create().withoutFileChecks();

  static Stream<Arguments> files() {
    StringBuilder laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      String previous = "*a" + (i - 1);
      laughs.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, previous))).append("]\n");
    }
    return Stream.of(
        Arguments.of("flow sequences nested 500,000 deep", "phases: " + nested("[", "]")),
        Arguments.of("flow mappings nested deep", "fleet: " + nested("{a: ", "}")),
        Arguments.of("block mappings nested deep", "fleet:\n" + indented(2_000)),
        Arguments.of("a billion laughs of aliases", laughs.toString()),
        Arguments.of("a 1 MB plain scalar", padded("name: ", 'a', "\nfleet: {count: -1}")),
        Arguments.of("a 1 MB key", padded("", 'a', ": 1")),
        Arguments.of("a 1 MB number", padded("fleet: {count: ", '9', "}")),
        Arguments.of("a 1 MB duration", padded("phases: [{hold: '", '9', "s'}]")),
        Arguments.of("a 1 MB threshold", padded("thresholds: ['p99 publish latency < ", '9', " ms']")),
        Arguments.of("a 1 MB payload template", padded("payload: {records: [{n: '${", 'a', "}'}]}")),
        Arguments.of("100,000 phases", "target: {embedded: true}\nfleet: {count: 1}\nphases:\n" + "  - hold: 1s\n".repeat(100_000)),
        Arguments.of("a 1 MB run of anchors", "name: " + "&a ".repeat(HostileInput.SIZE / 3) + "x"),
        Arguments.of("1 MB of tags", "name: " + "!t ".repeat(HostileInput.SIZE / 3) + "x"),
        // Within the size limit: a line too long, and the longest lines allowed, folded into one value.
        Arguments.of("a 200 KB line", "name: " + "a".repeat(200_000)),
        Arguments.of("a 250 KB folded scalar", "fleet: {count: -1}\nname: >-\n" + ("  " + "a".repeat(4000) + "\n").repeat(62)));
  }

  private static String indented(int depth) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 1; i <= depth; i++) yaml.append(" ".repeat(i)).append("a:\n");
    return yaml.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measure of speed
  void isRefusedWithinABudget(String name, String yaml) {
    Outcome outcome = HostileInput.run(() -> READER.read(Path.of("hostile.yaml"), yaml));
    assertThat(outcome.thrown()).as(name).isInstanceOf(ScenarioException.class);
    FuzzInput.assertOneLine((ScenarioException) outcome.thrown());
    assertThat(outcome.allocated()).as(name + ": bytes allocated").isLessThan(BUDGET);
  }

  @Test
  void aFileLargerThanAnyScenarioIsNotReadAtAll(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("huge.yaml");
    try (var out = Files.newOutputStream(file)) {
      byte[] line = "# a comment line of a file far larger than a scenario\n".getBytes();
      for (int i = 0; i < 100_000; i++) out.write(line); // 5.4 MB
    }
    Outcome outcome = HostileInput.run(() -> READER.read(file));
    assertThat(outcome.thrown()).isInstanceOf(ScenarioException.class).hasMessageContaining("larger than");
    assertThat(outcome.allocated()).isLessThan(1 << 20);
  }
}
