package io.thingstorm.loadgen.scenario;

import static io.thingstorm.testing.FuzzInput.assertOneLine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario files, as the load generator's users write them: any text reads into a Scenario or fails
 * with a one-line ScenarioException. Files the scenario names are not opened. Lines of the input that
 * start with {@code --set } are taken out of the file and given as {@code run --set} options, so the
 * fuzzer reaches the overrides too.
 * Seeds and regression inputs: {@code src/test/resources/io/thingstorm/loadgen/scenario/ScenarioFuzzTestInputs}.
 */
class ScenarioFuzzTest {
  private static final Path FILE = Path.of("scenarios", "fuzz.yaml");
  private static final String SET = "--set ";

  @FuzzTest(maxDuration = "4s")
  void read(byte[] input) {
    StringBuilder yaml = new StringBuilder();
    List<String> sets = new ArrayList<>();
    for (String line : new String(input, StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.startsWith(SET)) sets.add(line.substring(SET.length()));
      else yaml.append(line).append('\n');
    }
    try {
      List<ScenarioOverride> overrides = new ArrayList<>();
      for (String set : sets) overrides.add(ScenarioOverride.parse(set));
      ScenarioReader.create().withoutFileChecks().withOverrides(overrides).read(FILE, yaml.toString());
    } catch (ScenarioException e) {
      assertOneLine(e);
    }
  }
}
