package io.thingstorm.loadgen.report;

import java.util.List;

/**
 * Judges a scenario's threshold texts against a report ({@link RunReport#value}). The scenario
 * module provides one; {@link ReportMerge} uses it to judge merged shards again.
 */
@FunctionalInterface
public interface ThresholdJudge {
  List<Verdict> judge(List<String> thresholds, RunReport report);
}
