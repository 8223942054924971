package io.thingstorm.loadgen.scenario;

import static io.thingstorm.testing.FuzzInput.assertOneLine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Scenario files, as the load generator's users write them: any text reads into a Scenario or fails
 * with a one-line ScenarioException. Files the scenario names are not opened. Seeds and regression
 * inputs: {@code src/test/resources/io/thingstorm/loadgen/scenario/ScenarioFuzzTestInputs}.
 */
class ScenarioFuzzTest {
  private static final ScenarioReader READER = ScenarioReader.create().withoutFileChecks();
  private static final Path FILE = Path.of("scenarios", "fuzz.yaml");

  @FuzzTest(maxDuration = "4s")
  void read(byte[] input) {
    try {
      READER.read(FILE, new String(input, StandardCharsets.UTF_8));
    } catch (ScenarioException e) {
      assertOneLine(e);
    }
  }
}
