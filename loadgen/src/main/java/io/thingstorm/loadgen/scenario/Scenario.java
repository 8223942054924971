package io.thingstorm.loadgen.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A load test, read from a YAML file and checked before anything starts: what to connect to, the
 * fleet, the messages, the phases in order, and the thresholds the run must meet.
 *
 * @param name short name, for reports; the file name when not given
 * @param description one line, for reports
 * @param file the file it was read from, as named by the caller
 * @param yaml the file's text, for the report, with the {@code --set} fields after it as comments
 */
public record Scenario(String name, String description, Path file, String yaml, Target target, Fleet fleet,
    Payload payload, List<Phase> phases, List<Threshold> thresholds) {

  public Scenario {
    phases = List.copyOf(phases);
    thresholds = List.copyOf(thresholds);
  }

  /** Reads and checks a scenario file; relative paths in it are taken from its folder. */
  public static Scenario load(Path file) {
    return ScenarioReader.create().read(file);
  }

  /** Reads a scenario file with some of its fields set over (see {@link ScenarioOverride}). */
  public static Scenario load(Path file, List<ScenarioOverride> overrides) {
    return ScenarioReader.create().withOverrides(overrides).read(file);
  }

  public Shard shard() {
    return fleet.shard();
  }

  /**
   * This scenario's share for one of N processes: devices {@code i, i + N, ...} of the fleet and
   * 1/N of every rate (connect, publish, churn, disconnect), phases as long as the whole's.
   */
  public Scenario forShard(Shard shard) {
    if (shard.isWhole()) return this;
    return new Scenario(name, description, file, yaml, target, fleet.forShard(shard), payload,
        phases.stream().map(p -> p.forShard(shard)).toList(), thresholds);
  }

  /** The sum of the phases' planned lengths. */
  public Duration plannedLength() {
    return phases.stream().map(Phase::length).reduce(Duration.ZERO, Duration::plus);
  }
}
