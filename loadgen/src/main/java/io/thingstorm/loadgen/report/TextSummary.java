package io.thingstorm.loadgen.report;

import io.thingstorm.loadgen.metrics.GeneratorUse;
import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.scenario.Threshold;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** summary.txt, and the same text on the terminal at the end of a run. */
public final class TextSummary {
  private TextSummary() {}

  public static String render(RunReport r) {
    StringBuilder s = new StringBuilder();
    s.append("thingstorm run: ").append(r.scenarioName());
    s.append(r.shards().size() == 1 ? (r.shards().get(0).count() > 1 ? " (shard " + r.shards().get(0) + ")" : "")
        : " (" + r.shards().size() + " shards merged)");
    s.append('\n');
    s.append(String.format(Locale.ROOT, "time      %s .. %s (%.1f s)%n", r.start(), r.end(), r.seconds()));
    List<Machine> machines = r.machines().stream().distinct().toList();
    s.append("machine   ").append(machines.get(0));
    if (machines.size() > 1) s.append(" and ").append(machines.size() - 1).append(" other");
    s.append("\n\n");

    s.append(String.format(Locale.ROOT, "%-10s %-6s %10s %9s %9s %9s %9s %9s %9s %9s%n",
        "latency ms", "", "count", "min", "mean", "p50", "p90", "p99", "p99.9", "max"));
    for (Latency l : r.latencies()) {
      Histogram h = l.histogram();
      s.append(String.format(Locale.ROOT, "%-10s %-6s %10s %9s %9s %9s %9s %9s %9s %9s%n",
          l.metric().key(), l.protocol(), count(h.getTotalCount()), ms(h.getMinValue()), ms(h.getMean()),
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
    }
    if (r.latencies().isEmpty()) s.append("(no latency was measured)\n");
    s.append('\n');

    s.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %10s %10s %10s %10s%n",
        "messages", "sent", "acknowledged", "received", "duplicates", "hs full", "hs resumed", "failures"));
    for (ProtocolCounts c : r.counts().size() > 1 ? concat(r.counts(), r.totals()) : r.counts()) {
      // The subscribers' own row (their connect time is a latency) has no counts unless they failed.
      if (c.sent() == 0 && c.received() == 0 && c.handshakesFull() == 0 && c.handshakesResumed() == 0 && c.failureCount() == 0) continue;
      s.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %10s %10s %10s %10s%n", c.protocol(),
          count(c.sent()), count(c.acknowledged()), count(c.received()), count(c.duplicates()),
          count(c.handshakesFull()), count(c.handshakesResumed()), count(c.failureCount())));
    }
    s.append(String.format(Locale.ROOT, "%nrates     %s handshakes/s, %s messages/s acknowledged%n",
        rate(r.handshakesPerSecond()), rate(r.messagesPerSecond())));
    s.append("lost      ").append(count(r.unacknowledged())).append(" unacknowledged");
    if (r.subscribed()) s.append(", ").append(count(r.undelivered())).append(" never reached a subscriber");
    s.append('\n');
    s.append("devices   ").append(count(r.connectedMax())).append(" connected at most, ")
        .append(count(r.reconnects())).append(" reconnects\n");
    String deviceFailures = failures(r, c -> !c.protocol().equals(RunReport.SUBSCRIBER));
    String subscriberFailures = failures(r, c -> c.protocol().equals(RunReport.SUBSCRIBER));
    s.append(String.format(Locale.ROOT, "errors    %.3f %% of %s device attempts%s%s%n", r.errorsPercent(), count(r.attempts()),
        deviceFailures.isEmpty() ? "" : ": " + deviceFailures,
        subscriberFailures.isEmpty() ? "" : "; the run's subscribers, apart: " + subscriberFailures));
    if (!r.generators().isEmpty()) {
      s.append("generator ").append(generator(r.generator()));
      if (r.generators().size() > 1) {
        s.append(" (").append(r.generators().size()).append(" JVMs: CPU per connect and per message over all, the rest the busiest's)");
      }
      s.append('\n');
    }

    if (!r.verdicts().isEmpty()) {
      s.append("\nthresholds\n");
      for (Verdict v : r.verdicts()) {
        s.append(String.format(Locale.ROOT, "  %s  %s  (actual %s%s)%n", v.passed() ? "PASS" : "FAIL", v.threshold(),
            figure(v.actual()), Threshold.unitOf(v.threshold())));
      }
    }
    if (!r.notes().isEmpty()) {
      s.append("\nnotes\n");
      r.notes().forEach(n -> s.append("  - ").append(n).append('\n'));
    }
    return s.toString();
  }

  /**
   * "3.91 ms CPU per connect, 21.0 µs per message; CPU at most 62 % of 2 cores; heap at most 410 MB,
   * RSS 900 MB, 45 platform threads": what the generator's own JVM used.
   */
  static String generator(GeneratorUse g) {
    List<String> parts = new java.util.ArrayList<>();
    List<String> per = new java.util.ArrayList<>();
    if (!Double.isNaN(g.cpuMsPerConnect())) per.add(String.format(Locale.ROOT, "%.2f ms CPU per connect", g.cpuMsPerConnect()));
    if (!Double.isNaN(g.cpuMicrosPerMessage())) {
      per.add(String.format(Locale.ROOT, "%,.1f µs%s per message", g.cpuMicrosPerMessage(), per.isEmpty() ? " CPU" : ""));
    }
    if (!per.isEmpty()) parts.add(String.join(", ", per));
    if (!Double.isNaN(g.cpuPercentMax())) {
      parts.add(String.format(Locale.ROOT, "CPU at most %.0f %% of %d cores", g.cpuPercentMax(), g.cores()));
    }
    StringBuilder memory = new StringBuilder(String.format(Locale.ROOT, "heap at most %s", megabytes(g.heapUsedMaxBytes())));
    if (g.rssMaxBytes() >= 0) memory.append(", RSS ").append(megabytes(g.rssMaxBytes()));
    memory.append(", ").append(g.threadsMax()).append(" platform threads");
    parts.add(memory.toString());
    return String.join("; ", parts);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%,d MB", Math.round(bytes / 1e6));
  }

  /** "unknown_ca 3 (mqtt3 2, https 1), timeout 1 (mqtt5 1)" */
  /** Failures by class, each with its protocols: every row, the run's subscribers' too. */
  static String failures(RunReport r) {
    return failures(r, c -> true);
  }

  static String failures(RunReport r, Predicate<ProtocolCounts> rows) {
    Map<String, Map<String, Long>> byClass = new TreeMap<>();
    for (ProtocolCounts c : r.counts()) {
      if (rows.test(c)) c.failures().forEach((cls, n) -> { if (n > 0) byClass.computeIfAbsent(cls, k -> new TreeMap<>()).put(c.protocol(), n); });
    }
    return byClass.entrySet().stream().map(e -> e.getKey() + " "
        + count(e.getValue().values().stream().mapToLong(Long::longValue).sum()) + " ("
        + e.getValue().entrySet().stream().map(p -> p.getKey() + " " + count(p.getValue())).collect(Collectors.joining(", "))
        + ")").collect(Collectors.joining(", "));
  }

  private static List<ProtocolCounts> concat(List<ProtocolCounts> list, ProtocolCounts total) {
    List<ProtocolCounts> all = new java.util.ArrayList<>(list);
    all.add(total);
    return all;
  }

  static String ms(double micros) {
    double ms = micros / 1000.0;
    if (ms < 10) return String.format(Locale.ROOT, "%.3f", ms);
    if (ms < 1000) return String.format(Locale.ROOT, "%.1f", ms);
    return String.format(Locale.ROOT, "%,.0f", ms);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.1f", perSecond);
  }

  static String figure(double v) {
    if (Double.isNaN(v)) return "nothing measured";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return count((long) v);
    return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3f", v)).stripTrailingZeros().toPlainString();
  }
}
