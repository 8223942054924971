package io.thingstorm.loadgen.report;

import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.loadgen.metrics.GeneratorUse;
import io.thingstorm.loadgen.metrics.HlogFiles;
import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges the reports of shards that ran the same scenario side by side, exactly: histograms added,
 * counters summed, timelines added second by second from each shard's own start. The shards' interval
 * logs are added the same way, so the merged timeline's percentiles are those of the added intervals.
 */
public final class ReportMerge {
  private ReportMerge() {}

  /**
   * Merges the report folders {@code dirs} into {@code out} and writes it there.
   *
   * @param judge judges the scenario's thresholds on the merged figures; null drops the verdicts, and a
   *     note says so
   */
  public static RunReport merge(List<Path> dirs, Path out, ThresholdJudge judge) {
    if (dirs.isEmpty()) throw new ReportException("nothing to merge: name at least one report folder");
    ReportWriter.requireNoReport(out); // at once: a report is never replaced
    // Everything is read and checked before --out is made: a merge that fails leaves no folder behind.
    List<RunReport> reports = dirs.stream().map(ReportReader::read).toList();
    RunReport added = merge(reports, dirs.stream().map(Path::toString).toList(), judge);
    Map<Metric, TreeMap<Integer, Map<String, Histogram>>> intervals = new LinkedHashMap<>();
    for (Metric m : Metric.values()) {
      TreeMap<Integer, Map<String, Histogram>> bySecond = new TreeMap<>();
      for (int i = 0; i < dirs.size(); i++) {
        long startMillis = reports.get(i).start().toEpochMilli();
        for (Histogram h : ReportReader.intervals(dirs.get(i), m)) {
          int second = (int) Math.round((h.getEndTimeStamp() - startMillis) / 1000.0);
          bySecond.computeIfAbsent(second, s -> new TreeMap<>())
              .computeIfAbsent(h.getTag() == null ? "" : h.getTag(), t -> RunRecorder.newHistogram()).add(h);
        }
      }
      if (!bySecond.isEmpty()) intervals.put(m, bySecond);
    }
    RunReport merged = withIntervalPercentiles(added, intervals);
    Path made = firstMissing(out);
    try {
      ReportWriter.requireWritableFolder(out);
      intervals.forEach((m, bySecond) -> writeLog(out.resolve(HlogFiles.fileName(m)), m, merged.start(), bySecond));
      ReportWriter.write(merged, out);
    } catch (RuntimeException e) {
      if (made != null) OutputFiles.deleteTree(made); // only what this merge made: a folder that was there stays
      throw e;
    }
    return merged;
  }

  /** The outermost folder of {@code dir}'s path that does not exist yet: what making it creates; null when it exists. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) missing = p;
    return missing;
  }

  /**
   * Reports that must not be added together: the command named the wrong folders, so it is a usage
   * error, not a damaged report. The message names the folders.
   */
  public static final class NotMergeable extends RuntimeException {
    NotMergeable(String message) {
      super(message);
    }
  }

  /**
   * Refuses what would count a run twice or add what does not add up: the same report given twice
   * (same shard, same start), shards of different splits (i/2 beside i/3, or beside a whole run,
   * 0/1), or runs of different scenario texts, whose totals would mean nothing.
   */
  private static void requireMergeable(List<RunReport> reports, List<String> names) {
    Set<String> seen = new HashSet<>();
    for (RunReport r : reports) {
      for (Shard shard : r.shards()) {
        if (!seen.add(shard + "@" + r.start())) {
          throw new NotMergeable("shard " + shard + " of the run started " + r.start() + " is given twice: each report once");
        }
      }
    }
    List<Integer> splits = reports.stream().flatMap(r -> r.shards().stream()).map(Shard::count).distinct().toList();
    if (splits.size() > 1) {
      throw new NotMergeable("the reports come from different splits ("
          + splits.stream().map(c -> c == 1 ? "0/1, a whole run" : "i/" + c).toList() + "): merge the shards of one split");
    }
    for (int i = 1; i < reports.size(); i++) {
      if (!reports.get(i).scenarioText().equals(reports.get(0).scenarioText())) {
        throw new NotMergeable(names.get(0) + " and " + names.get(i)
            + " ran different scenario texts: merge the shards of one scenario");
      }
    }
  }

  /** A note naming the shards of the split that no report covers: the merged figures are then a part of the run. */
  private static Optional<String> missingShards(List<RunReport> reports) {
    Set<Shard> present = new HashSet<>();
    reports.forEach(r -> present.addAll(r.shards()));
    int count = present.stream().mapToInt(Shard::count).max().orElse(1);
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!present.contains(new Shard(i, count))) missing.add(i + "/" + count);
    }
    return missing.isEmpty() ? Optional.empty()
        : Optional.of("shards missing: " + String.join(", ", missing) + "; the merged figures cover only the shards given");
  }

  /** Merges reports already read; the timeline's percentiles are left to {@link #merge(List, Path, ThresholdJudge)}. */
  public static RunReport merge(List<RunReport> reports, ThresholdJudge judge) {
    return merge(reports, IntStream.rangeClosed(1, reports.size()).mapToObj(i -> "report " + i).toList(), judge);
  }

  /** @param names how to name each report in a refusal: its folder */
  private static RunReport merge(List<RunReport> reports, List<String> names, ThresholdJudge judge) {
    RunReport first = reports.get(0);
    requireMergeable(reports, names);
    List<String> notes = new ArrayList<>();
    reports.forEach(r -> r.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add));
    notes.add("merged from " + reports.size() + " reports: shards "
        + String.join(", ", reports.stream().flatMap(r -> r.shards().stream()).map(Shard::toString).toList())
        + "; connected.max is the sum of each shard's maximum");
    missingShards(reports).ifPresent(notes::add);

    Map<String, Latency> latencies = new TreeMap<>();
    Map<String, ProtocolCounts> counts = new TreeMap<>();
    for (RunReport r : reports) {
      for (Latency l : r.latencies()) {
        latencies.computeIfAbsent(l.metric().ordinal() + "/" + l.protocol(),
            k -> new Latency(l.metric(), l.protocol(), RunRecorder.newHistogram())).histogram().add(l.histogram());
      }
      for (ProtocolCounts c : r.counts()) counts.merge(c.protocol(), c, (a, b) -> a.plus(b, a.protocol()));
    }

    RunReport merged = new RunReport(
        String.join(" + ", reports.stream().map(RunReport::scenarioName).distinct().toList()),
        first.scenarioText(),
        reports.stream().flatMap(r -> r.shards().stream()).toList(),
        reports.stream().flatMap(r -> r.machines().stream()).toList(),
        reports.stream().flatMap(r -> r.generators().stream()).toList(),
        reports.stream().map(RunReport::start).min(Comparator.naturalOrder()).orElseThrow(),
        latestEnd(reports),
        longest(reports.stream().map(RunReport::connectPhase).toList()),
        longest(reports.stream().map(RunReport::publishPhase).toList()),
        reports.stream().anyMatch(RunReport::subscribed),
        List.copyOf(latencies.values()),
        List.copyOf(counts.values()),
        reports.stream().mapToLong(RunReport::reconnects).sum(),
        reports.stream().mapToLong(RunReport::connectedMax).sum(),
        addTimelines(reports),
        first.thresholds(),
        List.of(),
        notes);
    if (!merged.thresholds().isEmpty()) {
      if (judge != null) {
        merged = merged.withVerdicts(judge.judge(merged.thresholds(), merged));
      } else {
        merged = merged.withNotes(List.of("thresholds not judged: the merge had no threshold parser; the shards' own verdicts do not add up"));
      }
    }
    return merged;
  }

  /** The merged run lasts as long as the longest shard, counted from the earliest start. */
  private static Instant latestEnd(List<RunReport> reports) {
    Instant start = reports.stream().map(RunReport::start).min(Comparator.naturalOrder()).orElseThrow();
    long longest = reports.stream().mapToLong(r -> Duration.between(r.start(), r.end()).toMillis()).max().orElse(0);
    return start.plusMillis(longest);
  }

  private static Duration longest(List<Duration> phases) {
    return phases.stream().filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
  }

  /** Rates, counts and errors add up second by second; percentiles come from the interval logs. */
  static List<TimelinePoint> addTimelines(List<RunReport> reports) {
    TreeMap<Integer, TimelinePoint> bySecond = new TreeMap<>();
    for (RunReport r : reports) {
      for (TimelinePoint p : r.timeline()) {
        bySecond.merge(p.second(), withoutPercentiles(p), (a, b) -> {
          Map<String, Long> errors = new TreeMap<>(a.errors());
          b.errors().forEach((c, n) -> errors.merge(c, n, Long::sum));
          return new TimelinePoint(a.second(), a.connected() + b.connected(),
              a.handshakesPerSecond() + b.handshakesPerSecond(), a.sentPerSecond() + b.sentPerSecond(),
              a.acknowledgedPerSecond() + b.acknowledgedPerSecond(), a.receivedPerSecond() + b.receivedPerSecond(),
              Double.NaN, Double.NaN, errors, Double.NaN, a.warmUpPerSecond() + b.warmUpPerSecond(),
              a.warmUpConnectsPerSecond() + b.warmUpConnectsPerSecond(),
              // shards run on machines of their own: a share of one's cores does not add to another's
              GeneratorUse.busier(a.generatorCpuPercent(), b.generatorCpuPercent()));
        });
      }
    }
    return List.copyOf(bySecond.values());
  }

  private static TimelinePoint withoutPercentiles(TimelinePoint p) {
    return new TimelinePoint(p.second(), p.connected(), p.handshakesPerSecond(), p.sentPerSecond(),
        p.acknowledgedPerSecond(), p.receivedPerSecond(), Double.NaN, Double.NaN, p.errors(), Double.NaN,
        p.warmUpPerSecond(), p.warmUpConnectsPerSecond(), p.generatorCpuPercent());
  }

  private static RunReport withIntervalPercentiles(RunReport r, Map<Metric, TreeMap<Integer, Map<String, Histogram>>> intervals) {
    List<TimelinePoint> timeline = new ArrayList<>();
    for (TimelinePoint p : r.timeline()) {
      Histogram publish = sum(intervals.get(Metric.PUBLISH), p.second());
      Histogram lag = sum(intervals.get(Metric.LAG), p.second());
      timeline.add(new TimelinePoint(p.second(), p.connected(), p.handshakesPerSecond(), p.sentPerSecond(),
          p.acknowledgedPerSecond(), p.receivedPerSecond(), millisAt(publish, 50), millisAt(publish, 99), p.errors(),
          millisAt(lag, 99), p.warmUpPerSecond(), p.warmUpConnectsPerSecond(), p.generatorCpuPercent()));
    }
    return new RunReport(r.scenarioName(), r.scenarioText(), r.shards(), r.machines(), r.generators(), r.start(), r.end(),
        r.connectPhase(), r.publishPhase(), r.subscribed(), r.latencies(), r.counts(), r.reconnects(),
        r.connectedMax(), timeline, r.thresholds(), r.verdicts(), r.notes());
  }

  private static Histogram sum(TreeMap<Integer, Map<String, Histogram>> bySecond, int second) {
    Histogram sum = RunRecorder.newHistogram();
    if (bySecond != null && bySecond.containsKey(second)) bySecond.get(second).values().forEach(sum::add);
    return sum;
  }

  private static double millisAt(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static void writeLog(Path file, Metric m, Instant start, TreeMap<Integer, Map<String, Histogram>> bySecond) {
    try (PrintStream ps = new PrintStream(new FileOutputStream(file.toFile()), false, "US-ASCII")) {
      HistogramLogWriter w = new HistogramLogWriter(ps);
      w.outputComment("thingstorm " + m.key() + " latency in microseconds, tagged by protocol; shards added by second");
      w.outputLogFormatVersion();
      w.outputStartTime(start.toEpochMilli());
      w.setBaseTime(start.toEpochMilli());
      w.outputBaseTime(start.toEpochMilli());
      w.outputLegend();
      bySecond.forEach((second, byTag) -> byTag.forEach((tag, h) -> {
        h.setTag(tag.isEmpty() ? null : tag);
        w.outputIntervalHistogram(second - 1, second, h, 1000.0);
      }));
      w.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
