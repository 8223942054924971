package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.ThresholdJudge;
import io.thingstorm.loadgen.report.Verdict;
import io.thingstorm.loadgen.scenario.Threshold;
import java.util.List;

/** Judges a scenario's thresholds on a report's figures: the scenario's parser, the report's values. */
public final class ThresholdCheck implements ThresholdJudge {
  @Override
  public List<Verdict> judge(List<String> thresholds, RunReport report) {
    return thresholds.stream().map(text -> {
      io.thingstorm.loadgen.scenario.Verdict v = Threshold.parse(text).evaluate(key -> {
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
