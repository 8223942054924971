package io.thingstorm.loadgen.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail condition on a figure of the run, parsed from text such as
 * {@code p99 publish latency < 250 ms}, {@code errors < 0.1 %} or {@code handshakes/s >= 500}. It names
 * the figure by a stable key ({@link #KEYS}) that the report layer provides values for.
 *
 * @param text as written
 * @param key the figure, e.g. {@code publish.latency.p99}
 * @param comparison how the figure must compare to the limit
 * @param limit in the key's unit: ms for latencies (a limit in s is converted), percent for errors
 */
public record Threshold(String text, String key, Comparison comparison, double limit) {
  /**
   * Latency metrics, in ms: publish (due time to ack), connect (due time to the connection ready),
   * tcp, handshake (TLS), session (CONNECT to CONNACK), end to end, generator lag.
   */
  public static final List<String> LATENCY_METRICS = List.of("publish", "connect", "tcp", "handshake", "session", "e2e", "lag");
  public static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999", "max");
  public static final String ERRORS_PERCENT = "errors.percent";
  public static final String HANDSHAKES_PER_SECOND = "handshakes.per_second";
  public static final String MESSAGES_PER_SECOND = "messages.per_second";
  public static final String CONNECTED_MAX = "connected.max";
  /** The generator JVM's busiest second, in % of its cores: a gate on the generator not being the limit. */
  public static final String GENERATOR_CPU = "generator.cpu.percent.max";
  /** Every key a threshold can name: {@code <metric>.latency.<percentile>} and the five above. */
  public static final List<String> KEYS;

  static {
    List<String> keys = new ArrayList<>();
    for (String metric : LATENCY_METRICS) {
      for (String percentile : PERCENTILES) keys.add(latencyKey(metric, percentile));
    }
    keys.addAll(List.of(ERRORS_PERCENT, HANDSHAKES_PER_SECOND, MESSAGES_PER_SECOND, CONNECTED_MAX, GENERATOR_CPU));
    KEYS = Collections.unmodifiableList(keys);
  }

  private static final String OP = "(<=|>=|<|>)";
  private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
  private static final Pattern LATENCY = Pattern.compile(
      "(p50|p90|p99|p999|max)\\s+(\\S+)\\s+latency\\s*" + OP + "\\s*" + NUMBER + "\\s*(ms|s)");
  private static final Pattern ERRORS = Pattern.compile("errors\\s*" + OP + "\\s*" + NUMBER + "\\s*%");
  private static final Pattern GENERATOR = Pattern.compile("generator cpu\\s*" + OP + "\\s*" + NUMBER + "\\s*%");
  private static final Pattern RATE = Pattern.compile("(handshakes/s|messages/s|connected)\\s*" + OP + "\\s*" + NUMBER);

  static final String FORMS = "'p50|p90|p99|p999|max <metric> latency <|<=|>|>= N ms|s', 'errors < N %', "
      + "'handshakes/s >= N', 'messages/s >= N', 'connected >= N' or 'generator cpu < N %'";

  public enum Comparison {
    LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean holds(double actual, double limit) {
      return switch (this) {
        case LESS -> actual < limit;
        case LESS_OR_EQUAL -> actual <= limit;
        case GREATER -> actual > limit;
        case GREATER_OR_EQUAL -> actual >= limit;
      };
    }

    static Comparison of(String symbol) {
      for (Comparison c : values()) {
        if (c.symbol.equals(symbol)) return c;
      }
      throw new IllegalArgumentException(symbol);
    }
  }

  public static String latencyKey(String metric, String percentile) {
    return metric + ".latency." + percentile;
  }

  /**
   * Parses one threshold.
   *
   * @throws IllegalArgumentException naming what is wrong (an unknown metric, a form not understood)
   */
  public static Threshold parse(String text) {
    // p99.9 as the summary's column names it is p999
    String t = text == null ? "" : text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT).replaceFirst("^p99\\.9\\b", "p999");
    Matcher m = LATENCY.matcher(t);
    if (m.matches()) {
      String metric = m.group(2);
      if (!LATENCY_METRICS.contains(metric)) {
        throw new IllegalArgumentException("unknown metric '" + metric + "' in \"" + text.trim()
            + "\" (known: " + String.join(", ", LATENCY_METRICS) + ")");
      }
      double limit = Double.parseDouble(m.group(4)) * (m.group(5).equals("s") ? 1000 : 1);
      return new Threshold(text.trim(), latencyKey(metric, m.group(1)), Comparison.of(m.group(3)), limit);
    }
    m = ERRORS.matcher(t);
    if (m.matches()) return new Threshold(text.trim(), ERRORS_PERCENT, Comparison.of(m.group(1)), Double.parseDouble(m.group(2)));
    m = GENERATOR.matcher(t);
    if (m.matches()) return new Threshold(text.trim(), GENERATOR_CPU, Comparison.of(m.group(1)), Double.parseDouble(m.group(2)));
    m = RATE.matcher(t);
    if (m.matches()) {
      String key = switch (m.group(1)) {
        case "handshakes/s" -> HANDSHAKES_PER_SECOND;
        case "messages/s" -> MESSAGES_PER_SECOND;
        default -> CONNECTED_MAX;
      };
      return new Threshold(text.trim(), key, Comparison.of(m.group(2)), Double.parseDouble(m.group(3)));
    }
    String first = t.isEmpty() ? "" : t.split("[\\s<>=]")[0];
    if (!first.isEmpty() && !PERCENTILES.contains(first) && !first.equals("errors") && !first.equals("handshakes/s")
        && !first.equals("messages/s") && !first.equals("connected") && !first.equals("generator")) {
      throw new IllegalArgumentException("unknown metric '" + first + "' in \"" + text.trim() + "\" (write " + FORMS + ")");
    }
    throw new IllegalArgumentException("cannot read \"" + (text == null ? "" : text.trim()) + "\" (write " + FORMS + ")");
  }

  /**
   * This threshold as one shard of {@code fleetCount} devices is judged: a whole-fleet count or rate
   * ({@code connected}, {@code handshakes/s}, {@code messages/s}) becomes the shard's share of it
   * (its share of the devices; 1/N of a rate, as the shard runs 1/N of every rate). Latencies and
   * the error share stay as they are. The merged report judges the thresholds as written.
   */
  public Threshold forShard(Shard shard, long fleetCount) {
    if (shard.isWhole()) return this;
    double share = switch (key) {
      case CONNECTED_MAX -> fleetCount == 0 ? 0 : (double) shard.share(fleetCount) / fleetCount;
      case HANDSHAKES_PER_SECOND, MESSAGES_PER_SECOND -> 1.0 / shard.count();
      default -> 1;
    };
    if (share == 1) return this;
    double scaled = limit * share;
    String shown = scaled == Math.rint(scaled) ? String.format(Locale.ROOT, "%d", (long) scaled)
        : String.format(Locale.ROOT, "%.2f", scaled);
    return new Threshold(text + " (shard " + shard + ": " + comparison.symbol() + " " + shown + ")", key, comparison, scaled);
  }

  /**
   * Checks this threshold against the run's figures.
   *
   * @param valueByKey the run's figure for a key, NaN when the run has none (which fails the threshold)
   */
  public Verdict evaluate(ToDoubleFunction<String> valueByKey) {
    double actual = valueByKey.applyAsDouble(key);
    return new Verdict(text, key, !Double.isNaN(actual) && comparison.holds(actual, limit), actual);
  }

  @Override
  public String toString() {
    return text;
  }

  /** The unit its figures are in, for showing them: " ms", " %" or nothing (counts and rates). */
  public String unit() {
    if (key.contains(".latency.")) return " ms";
    return key.equals(ERRORS_PERCENT) || key.equals(GENERATOR_CPU) ? " %" : "";
  }

  /** The unit of the threshold written so (see {@link #unit()}); nothing when it cannot be read. */
  public static String unitOf(String text) {
    try {
      return parse(text).unit();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
