package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.ThresholdJudge;
import io.thingstorm.loadgen.report.Verdict;
import io.thingstorm.loadgen.scenario.Shard;
import io.thingstorm.loadgen.scenario.Threshold;
import java.util.List;

/**
 * Judges a scenario's thresholds on a report's figures: the scenario's parser, the report's values.
 * A shard's run is judged on its share of whole-fleet counts and rates ({@link Threshold#forShard}).
 */
public final class ThresholdCheck implements ThresholdJudge {
  private final Shard shard;
  private final long fleetCount;

  /** For a whole run, or a merged report. */
  public ThresholdCheck() {
    this(Shard.WHOLE, 0);
  }

  /** For one shard of a fleet of {@code fleetCount} devices. */
  public ThresholdCheck(Shard shard, long fleetCount) {
    this.shard = shard;
    this.fleetCount = fleetCount;
  }

  @Override
  public List<Verdict> judge(List<String> thresholds, RunReport report) {
    return thresholds.stream().map(text -> {
      io.thingstorm.loadgen.scenario.Verdict v = Threshold.parse(text).forShard(shard, fleetCount).evaluate(key -> {
        try {
          return report.value(key);
        } catch (IllegalArgumentException unknown) {
          return Double.NaN;
        }
      });
      return new Verdict(v.threshold(), v.passed(), v.actual());
    }).toList();
  }
}
