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
      return parse(ReportFields.root(root));
    } catch (ReportFields.Damaged e) {
      throw new ReportException(where + " is damaged (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      // A value of the right type that a record refuses (a shard 3/2): the record's own words.
      throw new ReportException(where + " is damaged (" + (e.getMessage() == null ? "a value cannot be read" : e.getMessage()) + ")", e);
    }
  }

  private static RunReport parse(ReportFields root) {
    List<Shard> shards = map(root.objects("shards"), s -> new Shard(s.integer("index"), s.integer("count")));
    List<Machine> machines = map(root.objects("machines"), m -> new Machine(m.integer("cores"),
        m.text("jdkVersion"), m.text("jdkVendor"), m.text("os"), m.text("jsseProvider")));
    List<Latency> latencies = map(root.objects("latency"), l -> new Latency(l.parsed("metric", Metric::ofKey),
        l.text("protocol"), l.parsed("histogram", ReportJson::decodeUnchecked)));
    ReportFields counts = root.object("counts");
    List<ProtocolCounts> protocols = map(counts.objects("protocols"), ReportJson::counts);
    List<TimelinePoint> timeline = map(root.objects("timeline"), p -> new TimelinePoint(p.integer("second"),
        p.whole("connected"), p.number("handshakesPerSecond"), p.number("sentPerSecond"),
        p.number("acknowledgedPerSecond"), p.number("receivedPerSecond"), p.number("publishP50Ms"),
        p.number("publishP99Ms"), p.wholes("errors"), p.number("lagP99Ms"),
        p.number("warmUpPerSecond", 0), // absent from reports written before warm-up existed
        p.number("warmUpConnectsPerSecond", 0),
        p.number("generatorCpuPercent")));
    // Absent from reports written before the generator's own use was measured.
    List<GeneratorUse> generators = root.has("generators") ? map(root.objects("generators"), g -> new GeneratorUse(
        g.integer("cores"), g.number("cpuSeconds"), g.number("cpuPercentMax"), g.whole("heapUsedMaxBytes"),
        g.whole("rssMaxBytes"), g.integer("threadsMax"), g.number("connectCpuSeconds"),
        g.whole("connects"), g.number("publishCpuSeconds"), g.whole("messages"))) : List.of();
    List<Verdict> verdicts = map(root.objects("verdicts"),
        v -> new Verdict(v.text("threshold"), v.bool("passed"), v.number("actual")));
    ReportFields scenario = root.object("scenario");
    return new RunReport(scenario.text("name"), scenario.text("text", ""), shards, machines,
        generators, root.parsed("start", Instant::parse), root.parsed("end", Instant::parse),
        duration(root.number("connectPhaseSeconds")), duration(root.number("publishPhaseSeconds")),
        root.bool("subscribed", false), latencies, protocols, counts.whole("reconnects", 0),
        counts.whole("connectedMax", 0), timeline, root.texts("thresholds"), verdicts, root.texts("notes"));
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

  private static ProtocolCounts counts(ReportFields o) {
    return new ProtocolCounts(o.text("protocol"), o.whole("sent"), o.whole("sentBytes"),
        o.whole("acknowledged"), o.whole("received"), o.whole("receivedBytes"),
        o.whole("duplicates"), o.whole("handshakesFull"), o.whole("handshakesResumed"),
        o.wholes("failures"));
  }

  /** JSON has no NaN: nothing measured is null. */
  private static void number(ObjectNode o, String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) o.putNull(name);
    else o.put(name, value);
  }


  private static Duration duration(double seconds) {
    return Double.isNaN(seconds) ? null : Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** A histogram as {@link #decode} reads it, its failure a runtime one for {@link ReportFields#parsed}. */
  private static Histogram decodeUnchecked(String base64) {
    try {
      return decode(base64);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an HdrHistogram: " + e.getMessage(), e);
    }
  }

  private static <T> List<T> map(List<ReportFields> objects, Function<ReportFields, T> each) {
    List<T> out = new ArrayList<>();
    for (ReportFields o : objects) out.add(each.apply(o));
    return out;
  }
}
