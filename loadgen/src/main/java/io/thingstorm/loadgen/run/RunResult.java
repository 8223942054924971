package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.Verdict;
import io.thingstorm.testbed.counters.CountsSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run left: its report (written to {@code dir}), the threshold verdicts, why it stopped early
 * if it did, and, for an embedded target, what the testbed itself counted.
 *
 * @param stoppedBecause empty when every phase ran; else the reason (Ctrl-C, the platform failed)
 * @param platformCounts what the embedded testbed received, taken after the last phase
 */
public record RunResult(RunReport report, Path dir, Optional<String> stoppedBecause,
    Optional<CountsSnapshot> platformCounts) {

  public List<Verdict> missedThresholds() {
    return report.verdicts().stream().filter(v -> !v.passed()).toList();
  }

  public boolean thresholdsMet() {
    return missedThresholds().isEmpty();
  }
}
