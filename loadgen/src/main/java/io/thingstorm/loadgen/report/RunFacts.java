package io.thingstorm.loadgen.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the engine knows about a run that the recorder does not.
 *
 * @param scenarioText the scenario file as it was read, kept in the report to make the run repeatable
 * @param connectPhase how long the connect phases took, for handshakes per second; null: the whole run
 * @param publishPhase how long the publish phases took, for messages per second; null: the whole run
 * @param subscribed whether a subscriber counted arrivals, so that sent minus received is a loss
 * @param thresholds the scenario's thresholds as written, kept so that merged shards can be judged again
 * @param notes what a reader should know, in a sentence each
 */
public record RunFacts(
    String scenarioName,
    String scenarioText,
    Shard shard,
    Machine machine,
    Duration connectPhase,
    Duration publishPhase,
    boolean subscribed,
    List<String> thresholds,
    List<String> notes) {

  public RunFacts {
    Objects.requireNonNull(scenarioName, "scenarioName");
    Objects.requireNonNull(shard, "shard (Shard.WHOLE for a run that was not split)");
    Objects.requireNonNull(machine, "machine (Machine.current(provider))");
    scenarioText = scenarioText == null ? "" : scenarioText;
    thresholds = List.copyOf(thresholds);
    notes = List.copyOf(notes);
  }
}
