package io.thingstorm.cli;

import io.thingstorm.loadgen.report.ReportMerge;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.ReportWriter;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.report.TextSummary;
import io.thingstorm.loadgen.report.ThresholdJudge;
import io.thingstorm.loadgen.report.Verdict;
import io.thingstorm.loadgen.run.ThresholdCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thingstorm report}: renders a run's report folder again, or merges shards' folders into one. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Render summary.txt and report.html again from a report folder's report.json, and print the summary.",
      "'report merge' adds shards' runs into one report, exactly: histograms added, counts summed.",
      "Exit codes: 0 done, 3 a threshold was missed (as 'run' says it), 2 a bad option, 1 a failure."
    })
public final class ReportCommand implements Callable<Integer> {
  /** Judges the scenario's thresholds again on the merged figures: the scenario's parser, the report's values. */
  ThresholdJudge judge = new ThresholdCheck();

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "A report folder, as 'thingstorm run' left it.")
  Path dir;

  @Override
  public Integer call() {
    if (dir == null) {
      throw new UsageError("name a report folder: thingstorm report DIR, or thingstorm report merge DIR... --out DIR");
    }
    RunReport report = ReportReader.read(dir);
    ReportWriter.render(report, dir);
    out().print(TextSummary.render(report));
    out().println();
    out().println("wrote " + dir.resolve(ReportWriter.SUMMARY) + " and " + dir.resolve(ReportWriter.HTML));
    return exitCode(report);
  }

  @Command(
      name = "merge",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = "Merge the report folders of shards (--shard i/N) into one report in --out.")
  int merge(
      @Parameters(arity = "1..*", paramLabel = "DIR", description = "Report folders, one per shard.") List<Path> dirs,
      @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged report goes.")
          Path out) {
    Path target = out.toAbsolutePath().normalize();
    if (dirs.stream().anyMatch(d -> d.toAbsolutePath().normalize().equals(target))) {
      throw new UsageError("--out " + out + " is one of the reports being merged; name a folder of its own");
    }
    RunReport merged;
    try {
      merged = ReportMerge.merge(dirs, out, judge); // it checks --out and the shards before it makes --out
    } catch (ReportWriter.FolderTaken | ReportWriter.FolderUnwritable e) {
      throw new UsageError("--out: " + e.getMessage());
    } catch (ReportMerge.NotMergeable e) {
      throw new UsageError(e.getMessage()); // the command named folders that do not go together
    }
    out().print(TextSummary.render(merged));
    out().println();
    out().println("merged " + dirs.size() + (dirs.size() == 1 ? " report" : " reports") + " into " + out);
    return exitCode(merged);
  }

  /** As {@code run} ends: 3 and a line per missed threshold, so that a pipeline can gate on merged shards too. */
  private int exitCode(RunReport report) {
    out().flush();
    List<Verdict> missed = report.verdicts().stream().filter(v -> !v.passed()).toList();
    PrintWriter err = spec.commandLine().getErr();
    for (Verdict v : missed) err.printf(Locale.ROOT, "thingstorm: threshold missed: %s (was %s)%n", v.threshold(), RunCommand.shown(v.actual()));
    err.flush();
    return missed.isEmpty() ? 0 : RunCommand.THRESHOLD_MISSED;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
