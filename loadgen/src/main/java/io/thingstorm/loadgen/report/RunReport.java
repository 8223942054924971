package io.thingstorm.loadgen.report;

import io.thingstorm.loadgen.metrics.GeneratorUse;
import io.thingstorm.loadgen.metrics.LiveProgress;
import io.thingstorm.loadgen.metrics.Measurements;
import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import io.thingstorm.loadgen.scenario.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/**
 * Everything a run produced: the scenario, where it ran, every latency histogram (microseconds),
 * the counters, the timeline, threshold verdicts and notes. A merged report has several shards and
 * machines; a single run has one of each.
 *
 * <p>{@link #value(String)} gives thresholds their figures under stable keys.
 */
public record RunReport(
    String scenarioName,
    String scenarioText,
    List<Shard> shards,
    List<Machine> machines,
    List<GeneratorUse> generators,
    Instant start,
    Instant end,
    Duration connectPhase,
    Duration publishPhase,
    boolean subscribed,
    List<Latency> latencies,
    List<ProtocolCounts> counts,
    long reconnects,
    long connectedMax,
    List<TimelinePoint> timeline,
    List<String> thresholds,
    List<Verdict> verdicts,
    List<String> notes) {

  /** Lag p99 above this means the generator, not the platform, set the pace. */
  static final double FELL_BEHIND_MS = 10;

  /**
   * Linux's shortest delayed ACK is 40 ms. A broker that leaves Nagle's algorithm on holds its small
   * CONNACK until the client acknowledges the TLS session tickets sent just before it, so most
   * CONNACKs land in a narrow band just above this (a cold JVM's first devices may not).
   */
  static final double DELAYED_ACK_MS = 38;
  static final double DELAYED_ACK_BAND_MS = 80;

  /** The keys {@link #value} knows; {@code <metric>} is also {@code <metric>.<protocol>}, e.g. publish.mqtt3.latency.p99. */
  public static final List<String> KEYS = List.of(
      "<metric>.latency.min|mean|p50|p90|p99|p999|max (ms; metric: tcp, handshake, session, connect, publish, e2e, lag)",
      "<metric>.count", "errors.percent", "errors.count", "handshakes.per_second", "messages.per_second",
      "messages.sent", "messages.acknowledged", "messages.received", "messages.lost", "connected.max", "reconnects",
      "generator.cpu.percent.max", "generator.cpu.ms_per_connect", "generator.cpu.us_per_message", "generator.heap.mb.max");

  public RunReport {
    shards = List.copyOf(shards);
    machines = List.copyOf(machines);
    generators = List.copyOf(generators);
    latencies = List.copyOf(latencies);
    counts = List.copyOf(counts);
    timeline = List.copyOf(timeline);
    thresholds = List.copyOf(thresholds);
    verdicts = List.copyOf(verdicts);
    notes = List.copyOf(notes);
  }

  /** The report of one run: what the engine knows and what the recorder measured. No verdicts yet. */
  public static RunReport of(RunFacts facts, Measurements m) {
    RunReport report = new RunReport(facts.scenarioName(), facts.scenarioText(), List.of(facts.shard()),
        List.of(facts.machine()), List.of(m.generator()), m.start(), m.end(), facts.connectPhase(), facts.publishPhase(),
        facts.subscribed(), m.latencies(), m.counts(), m.reconnects(), m.connectedMax(), m.timeline(),
        facts.thresholds(), List.of(), facts.notes());
    return report.withNotes(report.measuredNotes());
  }

  public RunReport withVerdicts(List<Verdict> verdicts) {
    return new RunReport(scenarioName, scenarioText, shards, machines, generators, start, end, connectPhase, publishPhase,
        subscribed, latencies, counts, reconnects, connectedMax, timeline, thresholds, verdicts, notes);
  }

  public RunReport withNotes(List<String> more) {
    List<String> all = new ArrayList<>(notes);
    more.stream().filter(n -> !all.contains(n)).forEach(all::add);
    return new RunReport(scenarioName, scenarioText, shards, machines, generators, start, end, connectPhase, publishPhase,
        subscribed, latencies, counts, reconnects, connectedMax, timeline, thresholds, verdicts, all);
  }

  /** What the figures themselves say a reader must know. */
  List<String> measuredNotes() {
    List<String> found = new ArrayList<>();
    double lagP99 = percentileMs(Metric.LAG, null, 99);
    if (lagP99 > FELL_BEHIND_MS) {
      found.add(String.format(Locale.ROOT,
          "the generator ran behind its schedule: lag p99 %s (latencies count from the due time, so they include it; "
              + "where the lag grew through a phase, the asked rate was more than the generator could send)",
          LiveProgress.millis(lagP99)));
    }
    GeneratorUse g = generator();
    if (g.cpuPercentMax() >= GeneratorUse.BUSY_PERCENT) {
      found.add(String.format(Locale.ROOT,
          "the generator's JVM used %.0f %% of its %d cores in its busiest second: it may have set the pace there, not the platform",
          g.cpuPercentMax(), g.cores()));
    }
    heldConnacks().ifPresent(found::add);
    return found;
  }

  /**
   * Most CONNACKs 40-80 ms after CONNECT while the handshakes before them were quick: the signature of
   * a broker that waits for the client's delayed ACK (mosquitto's default {@code set_tcp_nodelay false}),
   * a wait the platform's real devices pay too. A broker that is merely busy spreads wider than that.
   */
  Optional<String> heldConnacks() {
    Histogram session = mqtt(Metric.SESSION); // a WSS device's session is its upgrade: not this
    if (session.getTotalCount() < 10) return Optional.empty();
    double p25 = session.getValueAtPercentile(25) / 1000.0;
    double p50 = session.getValueAtPercentile(50) / 1000.0;
    double p75 = session.getValueAtPercentile(75) / 1000.0;
    double handshake = mqtt(Metric.TLS_HANDSHAKE).getValueAtPercentile(50) / 1000.0;
    if (p25 < DELAYED_ACK_MS || p75 > DELAYED_ACK_BAND_MS || !(handshake < p25 / 4)) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT,
        "CONNACK came %s to %s after CONNECT (session p25 to p75; p50 %s) while TLS handshakes took %s (p50): the "
            + "40 ms TCP delayed ACK that a broker with Nagle's algorithm on waits for before it sends CONNACK "
            + "(mosquitto: set_tcp_nodelay true turns it off); the platform's devices pay it too",
        LiveProgress.millis(p25), LiveProgress.millis(p75), LiveProgress.millis(p50), LiveProgress.millis(handshake)));
  }

  /** A metric over the MQTT devices, both versions. */
  private Histogram mqtt(Metric metric) {
    Histogram sum = histogram(metric, Protocol.MQTT3.label());
    sum.add(histogram(metric, Protocol.MQTT5.label()));
    return sum;
  }

  /**
   * The generators' use taken together: CPU per connect and per message over all of them, and the
   * busiest one's peaks (shards run in JVMs of their own, often on machines of their own).
   */
  public GeneratorUse generator() {
    if (generators.size() == 1) return generators.get(0);
    int cores = 0, threads = 0;
    long heap = 0, rss = -1, connects = 0, messages = 0;
    double cpu = 0, percent = Double.NaN, connectCpu = 0, publishCpu = 0;
    for (GeneratorUse g : generators) {
      cores = Math.max(cores, g.cores());
      threads = Math.max(threads, g.threadsMax());
      heap = Math.max(heap, g.heapUsedMaxBytes());
      rss = Math.max(rss, g.rssMaxBytes());
      cpu += g.cpuSeconds();
      percent = GeneratorUse.busier(percent, g.cpuPercentMax());
      connectCpu += g.connectCpuSeconds();
      connects += g.connects();
      publishCpu += g.publishCpuSeconds();
      messages += g.messages();
    }
    if (generators.isEmpty()) cpu = connectCpu = publishCpu = Double.NaN; // a report written before generators were measured
    return new GeneratorUse(cores, cpu, percent, heap, rss, threads, connectCpu, connects, publishCpu, messages);
  }

  // ---- figures ----

  public double seconds() {
    return Math.max(Duration.between(start, end).toMillis() / 1000.0, 0.001);
  }

  public List<String> protocols() {
    return counts.stream().map(ProtocolCounts::protocol).toList();
  }

  /**
   * The protocol label of the run's own subscribers' connects. They are the generator's set-up, not
   * the load on the platform that thresholds judge: a figure over all protocols leaves them out.
   */
  public static final String SUBSCRIBER = "subscriber";

  /** One metric over the devices of every protocol, without the run's subscribers' ({@link #SUBSCRIBER}). */
  public Histogram devicesHistogram(Metric metric) {
    return sum(metric, protocol -> !protocol.equals(SUBSCRIBER));
  }

  /** The histogram of a metric over one protocol, or over all when {@code protocol} is null; empty if none. */
  public Histogram histogram(Metric metric, String protocol) {
    return sum(metric, p -> protocol == null || p.equals(protocol));
  }

  private Histogram sum(Metric metric, Predicate<String> protocols) {
    Histogram sum = RunRecorder.newHistogram();
    for (Latency l : latencies) {
      if (l.metric() == metric && protocols.test(l.protocol())) sum.add(l.histogram());
    }
    return sum;
  }

  /** The counters of all protocols added. */
  public ProtocolCounts totals() {
    ProtocolCounts sum = ProtocolCounts.none("all");
    for (ProtocolCounts c : counts) sum = sum.plus(c, "all");
    return sum;
  }

  /**
   * The devices' connects and publishes attempted: each ended as a recorded latency or as one
   * failure. The run's subscribers are left out, as from every threshold's figure.
   */
  public long attempts() {
    return devicesHistogram(Metric.CONNECT).getTotalCount() + devicesHistogram(Metric.PUBLISH).getTotalCount()
        + deviceFailures();
  }

  /** Failed connects and publishes of the devices, without the run's subscribers'. */
  public long deviceFailures() {
    long failures = 0;
    for (ProtocolCounts c : counts) {
      if (!c.protocol().equals(SUBSCRIBER)) failures += c.failureCount();
    }
    return failures;
  }

  public double errorsPercent() {
    long attempts = attempts();
    return attempts == 0 ? 0 : deviceFailures() * 100.0 / attempts;
  }

  public double handshakesPerSecond() {
    return totals().handshakes() / seconds(connectPhase);
  }

  public double messagesPerSecond() {
    return totals().acknowledged() / seconds(publishPhase);
  }

  /** Sent but never acknowledged (PUBACK, PUBCOMP, HTTP 2xx). */
  public long unacknowledged() {
    ProtocolCounts t = totals();
    return t.sent() - t.acknowledged();
  }

  /** Sent but never seen by a subscriber; meaningful only when {@link #subscribed()}. */
  public long undelivered() {
    ProtocolCounts t = totals();
    return t.sent() - (t.received() - t.duplicates());
  }

  private double seconds(Duration phase) {
    return phase == null || phase.isZero() ? seconds() : phase.toMillis() / 1000.0;
  }

  double percentileMs(Metric metric, String protocol, double percentile) {
    Histogram h = protocol == null ? devicesHistogram(metric) : histogram(metric, protocol);
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /**
   * The figure a threshold is judged on, by key: {@code publish.latency.p99} (ms), {@code errors.percent},
   * {@code handshakes.per_second}, ... (see {@link #KEYS}). A latency nothing was measured for is NaN,
   * which fails every comparison: a threshold cannot pass on no data.
   *
   * @throws IllegalArgumentException for a key it does not know
   */
  public double value(String key) {
    ProtocolCounts t = totals();
    switch (key) {
      case "errors.percent": return errorsPercent();
      case "errors.count": return deviceFailures();
      case "handshakes.per_second": return handshakesPerSecond();
      case "messages.per_second": return messagesPerSecond();
      case "messages.sent": return t.sent();
      case "messages.acknowledged": return t.acknowledged();
      case "messages.received": return t.received();
      case "messages.lost": return subscribed ? undelivered() : unacknowledged();
      case "connected.max": return connectedMax;
      case "reconnects": return reconnects;
      case "generator.cpu.percent.max": return generator().cpuPercentMax();
      case "generator.cpu.ms_per_connect": return generator().cpuMsPerConnect();
      case "generator.cpu.us_per_message": return generator().cpuMicrosPerMessage();
      case "generator.heap.mb.max": return generators.isEmpty() ? Double.NaN : generator().heapUsedMaxBytes() / 1e6;
      default: break;
    }
    String[] parts = key.split("\\.");
    try {
      Metric metric = Metric.ofKey(parts[0]);
      String protocol = parts.length == 4 || (parts.length == 3 && parts[2].equals("count")) ? parts[1] : null;
      // Without a protocol, a threshold judges the devices: a subscriber's set-up connect is not the platform's load.
      Histogram h = protocol == null ? devicesHistogram(metric) : histogram(metric, protocol);
      if (parts[parts.length - 1].equals("count") && parts.length <= 3) return h.getTotalCount();
      if (parts.length >= 3 && parts[parts.length - 2].equals("latency")) {
        if (h.getTotalCount() == 0) return Double.NaN;
        String stat = parts[parts.length - 1];
        return switch (stat) {
          case "min" -> h.getMinValue() / 1000.0;
          case "mean" -> h.getMean() / 1000.0;
          case "max" -> h.getMaxValue() / 1000.0;
          case "p50", "p90", "p99", "p999", "p9999" -> h.getValueAtPercentile(percentileOf(stat)) / 1000.0;
          default -> throw unknown(key);
        };
      }
    } catch (IllegalArgumentException e) {
      throw unknown(key);
    }
    throw unknown(key);
  }

  /** p50 → 50, p999 → 99.9, p9999 → 99.99. */
  static double percentileOf(String stat) {
    String digits = stat.substring(1);
    return digits.length() <= 2 ? Double.parseDouble(digits) : Double.parseDouble(digits.substring(0, 2) + "." + digits.substring(2));
  }

  private static IllegalArgumentException unknown(String key) {
    return new IllegalArgumentException("unknown report figure '" + key + "'; known: " + String.join(", ", KEYS));
  }
}
