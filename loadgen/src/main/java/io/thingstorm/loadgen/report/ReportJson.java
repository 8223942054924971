package io.thingstorm.loadgen.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingstorm.loadgen.metrics.GeneratorUse;
import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * report.json: every figure for people and scripts (latencies in ms), and each histogram losslessly
 * as HdrHistogram's compressed form in base64, so that a report can be re-read and merged exactly.
 */
public final class ReportJson {
  /** Names this file's layout; a reader refuses anything else. */
  public static final String FORMAT = "thingstorm-report/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  public static String write(RunReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode scenario = root.putObject("scenario");
    scenario.put("name", r.scenarioName());
    scenario.put("text", r.scenarioText());
    ArrayNode shards = root.putArray("shards");
    r.shards().forEach(s -> shards.addObject().put("index", s.index()).put("count", s.count()));
    ArrayNode machines = root.putArray("machines");
    for (Machine m : r.machines()) {
      machines.addObject().put("cores", m.cores()).put("jdkVersion", m.jdkVersion()).put("jdkVendor", m.jdkVendor())
          .put("os", m.os()).put("jsseProvider", m.jsseProvider());
    }
    ArrayNode generators = root.putArray("generators");
    for (GeneratorUse g : r.generators()) {
      ObjectNode o = generators.addObject().put("cores", g.cores());
      number(o, "cpuSeconds", g.cpuSeconds());
      number(o, "cpuPercentMax", g.cpuPercentMax());
      o.put("heapUsedMaxBytes", g.heapUsedMaxBytes()).put("rssMaxBytes", g.rssMaxBytes()).put("threadsMax", g.threadsMax());
      number(o, "connectCpuSeconds", g.connectCpuSeconds());
      o.put("connects", g.connects());
      number(o, "publishCpuSeconds", g.publishCpuSeconds());
      o.put("messages", g.messages());
      number(o, "cpuMsPerConnect", g.cpuMsPerConnect());
      number(o, "cpuMicrosPerMessage", g.cpuMicrosPerMessage());
    }
    root.put("start", r.start().toString());
    root.put("end", r.end().toString());
    number(root, "seconds", r.seconds());
    number(root, "connectPhaseSeconds", r.connectPhase() == null ? Double.NaN : r.connectPhase().toMillis() / 1000.0);
    number(root, "publishPhaseSeconds", r.publishPhase() == null ? Double.NaN : r.publishPhase().toMillis() / 1000.0);
    root.put("subscribed", r.subscribed());

    ObjectNode figures = root.putObject("figures");
    for (String key : List.of("errors.percent", "handshakes.per_second", "messages.per_second", "connected.max",
        "generator.cpu.percent.max", "generator.cpu.ms_per_connect", "generator.cpu.us_per_message")) {
      number(figures, key, r.value(key));
    }

    ArrayNode latency = root.putArray("latency");
    for (Latency l : r.latencies()) {
      Histogram h = l.histogram();
      ObjectNode o = latency.addObject();
      o.put("metric", l.metric().key());
      o.put("protocol", l.protocol());
      o.put("unit", "ms");
      o.put("count", h.getTotalCount());
      number(o, "min", h.getMinValue() / 1000.0);
      number(o, "mean", h.getMean() / 1000.0);
      number(o, "p50", h.getValueAtPercentile(50) / 1000.0);
      number(o, "p90", h.getValueAtPercentile(90) / 1000.0);
      number(o, "p99", h.getValueAtPercentile(99) / 1000.0);
      number(o, "p999", h.getValueAtPercentile(99.9) / 1000.0);
      number(o, "max", h.getMaxValue() / 1000.0);
      o.put("histogram", encode(h));
    }

    ObjectNode counts = root.putObject("counts");
    ArrayNode protocols = counts.putArray("protocols");
    r.counts().forEach(c -> protocols.add(counts(c)));
    counts.set("total", counts(r.totals()));
    counts.put("unacknowledged", r.unacknowledged());
    if (r.subscribed()) counts.put("undelivered", r.undelivered());
    counts.put("reconnects", r.reconnects());
    counts.put("connectedMax", r.connectedMax());

    ArrayNode timeline = root.putArray("timeline");
    for (TimelinePoint p : r.timeline()) {
      ObjectNode o = timeline.addObject();
      o.put("second", p.second());
      o.put("connected", p.connected());
      number(o, "handshakesPerSecond", p.handshakesPerSecond());
      number(o, "sentPerSecond", p.sentPerSecond());
      number(o, "acknowledgedPerSecond", p.acknowledgedPerSecond());
      number(o, "receivedPerSecond", p.receivedPerSecond());
      number(o, "publishP50Ms", p.publishP50Ms());
      number(o, "publishP99Ms", p.publishP99Ms());
      number(o, "lagP99Ms", p.lagP99Ms());
      number(o, "warmUpPerSecond", p.warmUpPerSecond());
      number(o, "warmUpConnectsPerSecond", p.warmUpConnectsPerSecond());
      number(o, "generatorCpuPercent", p.generatorCpuPercent());
      ObjectNode errors = o.putObject("errors");
      p.errors().forEach(errors::put);
    }

    ArrayNode thresholds = root.putArray("thresholds");
    r.thresholds().forEach(thresholds::add);
    ArrayNode verdicts = root.putArray("verdicts");
    for (Verdict v : r.verdicts()) {
      ObjectNode o = verdicts.addObject().put("threshold", v.threshold()).put("passed", v.passed());
      number(o, "actual", v.actual());
    }
    ArrayNode notes = root.putArray("notes");
    r.notes().forEach(notes::add);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @param where how to name the file in a message, e.g. "runs/a/report.json"
   * @throws ReportException when the text is not a thingstorm report
   */
  public static RunReport read(String text, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ReportException(where + " is not a thingstorm report (not JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
      String found = root != null && root.has("format") ? "format '" + root.get("format").asText() + "'" : "no format field";
      throw new ReportException(where + " is not a thingstorm report (" + found + ", expected " + FORMAT + ")");
    }
    try {
      return parse(root);
    } catch (NullPointerException | ClassCastException e) {
      // The JDK's words for these name classes and methods, not the report: say what they mean.
      throw new ReportException(where + " is damaged (a field is missing or has the wrong type)", e);
    } catch (DataFormatException e) {
      throw new ReportException(where + " is damaged (a histogram cannot be decoded)", e);
    } catch (RuntimeException e) {
      throw new ReportException(where + (e.getMessage() == null ? " is damaged (a value cannot be read)"
          : " is not a thingstorm report (" + e.getMessage() + ")"), e);
    }
  }

  private static RunReport parse(JsonNode root) throws DataFormatException {
    List<Shard> shards = list(root, "shards", s -> new Shard(s.get("index").asInt(), s.get("count").asInt()));
    List<Machine> machines = list(root, "machines", m -> new Machine(m.get("cores").asInt(),
        m.get("jdkVersion").asText(), m.get("jdkVendor").asText(), m.get("os").asText(), m.get("jsseProvider").asText()));
    List<Latency> latencies = new ArrayList<>();
    for (JsonNode l : required(root, "latency")) {
      latencies.add(new Latency(Metric.ofKey(l.get("metric").asText()), l.get("protocol").asText(),
          decode(l.get("histogram").asText())));
    }
    JsonNode counts = required(root, "counts");
    List<ProtocolCounts> protocols = list(counts, "protocols", ReportJson::counts);
    List<TimelinePoint> timeline = list(root, "timeline", p -> new TimelinePoint(p.get("second").asInt(),
        p.get("connected").asLong(), number(p, "handshakesPerSecond"), number(p, "sentPerSecond"),
        number(p, "acknowledgedPerSecond"), number(p, "receivedPerSecond"), number(p, "publishP50Ms"),
        number(p, "publishP99Ms"), longs(p.get("errors")), number(p, "lagP99Ms"),
        p.path("warmUpPerSecond").asDouble(0), // absent from reports written before warm-up existed
        p.path("warmUpConnectsPerSecond").asDouble(0),
        number(p, "generatorCpuPercent")));
    // Absent from reports written before the generator's own use was measured.
    List<GeneratorUse> generators = root.has("generators") ? list(root, "generators", g -> new GeneratorUse(
        g.get("cores").asInt(), number(g, "cpuSeconds"), number(g, "cpuPercentMax"), g.get("heapUsedMaxBytes").asLong(),
        g.get("rssMaxBytes").asLong(), g.get("threadsMax").asInt(), number(g, "connectCpuSeconds"),
        g.get("connects").asLong(), number(g, "publishCpuSeconds"), g.get("messages").asLong())) : List.of();
    List<Verdict> verdicts = list(root, "verdicts",
        v -> new Verdict(v.get("threshold").asText(), v.get("passed").asBoolean(), number(v, "actual")));
    JsonNode scenario = required(root, "scenario");
    return new RunReport(scenario.get("name").asText(), scenario.path("text").asText(""), shards, machines,
        generators, Instant.parse(root.get("start").asText()), Instant.parse(root.get("end").asText()),
        duration(number(root, "connectPhaseSeconds")), duration(number(root, "publishPhaseSeconds")),
        root.path("subscribed").asBoolean(), latencies, protocols, counts.path("reconnects").asLong(),
        counts.path("connectedMax").asLong(), timeline, list(root, "thresholds", JsonNode::asText), verdicts,
        list(root, "notes", JsonNode::asText));
  }

  /** HdrHistogram's own compressed form: exact counts, and the histogram's range and precision. */
  public static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  public static Histogram decode(String base64) throws DataFormatException {
    return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
  }

  private static ObjectNode counts(ProtocolCounts c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", c.protocol());
    o.put("sent", c.sent()).put("sentBytes", c.sentBytes()).put("acknowledged", c.acknowledged());
    o.put("received", c.received()).put("receivedBytes", c.receivedBytes()).put("duplicates", c.duplicates());
    o.put("handshakesFull", c.handshakesFull()).put("handshakesResumed", c.handshakesResumed());
    o.put("failureCount", c.failureCount());
    ObjectNode failures = o.putObject("failures");
    c.failures().forEach(failures::put);
    return o;
  }

  private static ProtocolCounts counts(JsonNode o) {
    return new ProtocolCounts(o.get("protocol").asText(), o.get("sent").asLong(), o.get("sentBytes").asLong(),
        o.get("acknowledged").asLong(), o.get("received").asLong(), o.get("receivedBytes").asLong(),
        o.get("duplicates").asLong(), o.get("handshakesFull").asLong(), o.get("handshakesResumed").asLong(),
        longs(o.get("failures")));
  }

  private static Map<String, Long> longs(JsonNode o) {
    Map<String, Long> m = new TreeMap<>();
    if (o != null) o.properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }

  /** JSON has no NaN: nothing measured is null. */
  private static void number(ObjectNode o, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) o.putNull(name);
    else o.put(name, value);
  }

  private static double number(JsonNode o, String name) {
    JsonNode n = o.get(name);
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }

  private static Duration duration(double seconds) {
    return Double.isNaN(seconds) ? null : Duration.ofMillis(Math.round(seconds * 1000));
  }

  private static JsonNode required(JsonNode o, String name) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) throw new IllegalArgumentException("no " + name + " field");
    return n;
  }

  private static <T> List<T> list(JsonNode o, String name, Function<JsonNode, T> each) {
    List<T> out = new ArrayList<>();
    for (JsonNode n : required(o, name)) out.add(each.apply(n));
    return out;
  }
}
