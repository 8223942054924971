package io.thingstorm.loadgen.metrics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One line per second while a run goes on. On a terminal the line is rewritten in place; elsewhere (a
 * CI log, a pipe) a plain line is printed every few seconds, so that logs stay short.
 */
public final class LiveProgress {
  private static final String REWRITE_LINE = "\r\033[2K";

  private final PrintStream out;
  private final boolean terminal;
  private final int everySeconds;
  private final long devices;
  private boolean lineOpen;
  private volatile Supplier<String> stage = () -> "";

  /**
   * @param terminal rewrite one line in place, else print a line every {@code everySeconds}
   * @param devices the fleet size shown after the connected count
   */
  public LiveProgress(PrintStream out, boolean terminal, int everySeconds, long devices) {
    if (everySeconds < 1) throw new IllegalArgumentException("everySeconds must be at least 1");
    this.out = out;
    this.terminal = terminal;
    this.everySeconds = everySeconds;
    this.devices = devices;
  }

  /** In place when the JVM has a console, else a line every 5 seconds. */
  public static LiveProgress to(PrintStream out, long devices) {
    return new LiveProgress(out, System.console() != null, 5, devices);
  }

  /** Shows what the run is doing ({@code stage}: a set-up step, a phase) after the seconds. */
  public void stageFrom(Supplier<String> stage) {
    this.stage = stage;
  }

  public synchronized void show(TimelinePoint p) {
    if (terminal) {
      out.print(REWRITE_LINE + line(p, devices, stage.get()));
      lineOpen = true;
      out.flush();
    } else if (p.second() % everySeconds == 0) {
      out.println(line(p, devices, stage.get()));
    }
  }

  /** Ends the line being rewritten, so that what is printed next starts on a line of its own. */
  public synchronized void done() {
    if (lineOpen) out.println();
    lineOpen = false;
  }

  /** "12s  connected 180/200  hs/s 50  msg/s 1,980  p50 3.1 ms  p99 12 ms  errors 0  lag p99 0.4 ms  cpu 35%" */
  public static String line(TimelinePoint p, long devices) {
    return line(p, devices, "");
  }

  /** As {@link #line(TimelinePoint, long)}, with {@code stage} after the seconds unless empty: "12s  publish (phase 3 of 5)  connected ..." */
  public static String line(TimelinePoint p, long devices, String stage) {
    StringBuilder s = new StringBuilder();
    s.append(p.second()).append('s');
    if (stage != null && !stage.isEmpty()) s.append("  ").append(stage);
    s.append("  connected ").append(count(p.connected())).append('/').append(count(devices));
    s.append("  hs/s ").append(count(Math.round(p.handshakesPerSecond())));
    if (p.warmUpConnectsPerSecond() > 0) s.append(" (warm-up ").append(count(Math.round(p.warmUpConnectsPerSecond()))).append(", not measured)");
    s.append("  msg/s ").append(count(Math.round(p.sentPerSecond())));
    if (p.warmUpPerSecond() > 0) s.append(" (warm-up ").append(count(Math.round(p.warmUpPerSecond()))).append(", not measured)");
    s.append("  p50 ").append(millis(p.publishP50Ms()));
    s.append("  p99 ").append(millis(p.publishP99Ms()));
    s.append("  errors ").append(count(p.errorCount()));
    if (p.errorCount() > 0) s.append(" (").append(byClass(p.errors())).append(')');
    s.append("  lag p99 ").append(millis(p.lagP99Ms()));
    if (!Double.isNaN(p.generatorCpuPercent())) s.append("  cpu ").append(Math.round(p.generatorCpuPercent())).append('%');
    return s.toString();
  }

  private static String byClass(Map<String, Long> errors) {
    return errors.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .map(e -> e.getKey() + " " + count(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Two or three significant figures: "0.42 ms", "3.1 ms", "12 ms"; "-" when nothing was measured. */
  public static String millis(double ms) {
    if (Double.isNaN(ms)) return "-";
    if (ms < 1) return String.format(Locale.ROOT, "%.2f ms", ms);
    if (ms < 10) return String.format(Locale.ROOT, "%.1f ms", ms);
    return String.format(Locale.ROOT, "%,d ms", Math.round(ms));
  }
}
