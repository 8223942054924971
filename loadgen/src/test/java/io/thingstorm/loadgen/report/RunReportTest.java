package io.thingstorm.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingstorm.loadgen.metrics.GeneratorUse;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic run through the recorder into every report file, and back. */
class RunReportTest {
  @TempDir Path dir;

  @Test
  void countsWhatEveryThreadRecorded() throws Exception {
    RunReport report = SyntheticRun.record(dir, 1, Shard.WHOLE).report;

    ProtocolCounts mqtt3 = counts(report, "mqtt3");
    assertThat(mqtt3.sent()).isEqualTo(2 * 500 * 3 + 1);
    assertThat(mqtt3.acknowledged()).isEqualTo(2 * 500 * 3);
    assertThat(mqtt3.handshakesFull()).isEqualTo(30);
    assertThat(mqtt3.handshakesResumed()).isEqualTo(30);
    assertThat(mqtt3.failures()).isEqualTo(Map.of("unknown_ca", 24L));
    assertThat(counts(report, "https").failures()).isEqualTo(Map.of("http_403", 12L));
    assertThat(counts(report, "mqtt5").received()).isEqualTo(4500);
    assertThat(report.unacknowledged()).isEqualTo(1);
    assertThat(report.undelivered()).isEqualTo(1);
    assertThat(report.connectedMax()).isEqualTo(90);
    assertThat(report.reconnects()).isEqualTo(1);
  }

  @Test
  void timelineHasOnePointPerSecondWithThatSecondsRates() throws Exception {
    RunReport report = SyntheticRun.record(dir, 1, Shard.WHOLE).report;

    // three ticks; finish() comes 0 s after the last, so it adds to the totals but makes no point
    List<TimelinePoint> timeline = report.timeline();
    assertThat(timeline).extracting(TimelinePoint::second).containsExactly(1, 2, 3);
    TimelinePoint first = timeline.get(0);
    assertThat(first.sentPerSecond()).isEqualTo(1500);
    assertThat(first.acknowledgedPerSecond()).isEqualTo(1500);
    assertThat(first.handshakesPerSecond()).isEqualTo(30);
    assertThat(first.connected()).isEqualTo(30);
    assertThat(first.errors()).isEqualTo(Map.of("unknown_ca", 8L, "http_403", 4L));
    assertThat(first.publishP99Ms()).isPositive();

  }

  @Test
  void thresholdFiguresComeFromTheHistogramsAndCounters() throws Exception {
    SyntheticRun run = SyntheticRun.record(dir, 1, Shard.WHOLE);
    RunReport report = run.report;
    Histogram publish = run.expected(Metric.PUBLISH);

    assertThat(report.value("publish.latency.p99")).isEqualTo(publish.getValueAtPercentile(99) / 1000.0);
    assertThat(report.value("publish.latency.p999")).isEqualTo(publish.getValueAtPercentile(99.9) / 1000.0);
    assertThat(report.value("publish.latency.max")).isEqualTo(publish.getMaxValue() / 1000.0);
    assertThat(report.value("publish.https.latency.p50"))
        .isEqualTo(run.expected(Metric.PUBLISH, "https").getValueAtPercentile(50) / 1000.0);
    assertThat(report.value("handshake.latency.p90"))
        .isEqualTo(run.expected(Metric.TLS_HANDSHAKE).getValueAtPercentile(90) / 1000.0);
    // 36 failures of 4,500 publishes + 90 connects + those 36
    assertThat(report.value("errors.percent")).isEqualTo(36 * 100.0 / (4500 + 90 + 36));
    assertThat(report.value("handshakes.per_second")).isEqualTo(90.0); // over the 1 s connect phase
    assertThat(report.value("messages.per_second")).isEqualTo(1500.0); // over the 3 s publish phase
    assertThat(report.value("connected.max")).isEqualTo(90.0);
    assertThat(report.value("generator.cpu.ms_per_connect")).isEqualTo(1.0); // 90 ms of CPU for 90 connects
    assertThat(report.value("generator.cpu.us_per_message")).isEqualTo(10.0); // 45 ms for 4,500 messages
    assertThat(report.value("e2e.latency.p99")).isNaN(); // nothing measured: fails any threshold
    assertThatThrownBy(() -> report.value("publish.latency.p42x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown report figure 'publish.latency.p42x'");
  }

  @Test
  void reportJsonFiguresEqualTheHistogramsOwn() throws Exception {
    SyntheticRun run = SyntheticRun.record(dir, 2, Shard.WHOLE);
    ReportWriter.write(run.report, dir);

    JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(json.get("format").asText()).isEqualTo("thingstorm-report/1");
    assertThat(json.at("/scenario/text").asText()).isEqualTo(SyntheticRun.SCENARIO);
    assertThat(json.at("/machines/0/jsseProvider").asText()).isEqualTo("SunJSSE");
    for (JsonNode l : json.get("latency")) {
      Histogram h = run.expected(Metric.ofKey(l.get("metric").asText()), l.get("protocol").asText());
      assertThat(l.get("count").asLong()).isEqualTo(h.getTotalCount());
      assertThat(l.get("min").asDouble()).isEqualTo(h.getMinValue() / 1000.0);
      assertThat(l.get("mean").asDouble()).isEqualTo(h.getMean() / 1000.0);
      assertThat(l.get("p50").asDouble()).isEqualTo(h.getValueAtPercentile(50) / 1000.0);
      assertThat(l.get("p90").asDouble()).isEqualTo(h.getValueAtPercentile(90) / 1000.0);
      assertThat(l.get("p99").asDouble()).isEqualTo(h.getValueAtPercentile(99) / 1000.0);
      assertThat(l.get("p999").asDouble()).isEqualTo(h.getValueAtPercentile(99.9) / 1000.0);
      assertThat(l.get("max").asDouble()).isEqualTo(h.getMaxValue() / 1000.0);
      assertThat(ReportJson.decode(l.get("histogram").asText())).isEqualTo(h);
    }
    assertThat(json.get("latency")).hasSize(run.expected.size());
    assertThat(json.at("/counts/total/sent").asLong()).isEqualTo(4501);
    assertThat(json.at("/figures/errors.percent").asDouble()).isEqualTo(run.report.errorsPercent());
  }

  @Test
  void readsBackEverythingItWrote() throws Exception {
    RunReport written = SyntheticRun.record(dir, 3, new Shard(1, 3)).report
        .withVerdicts(List.of(new Verdict("p99 publish latency < 250 ms", true, 41.5)));
    ReportWriter.write(written, dir);

    RunReport read = ReportReader.read(dir);

    assertThat(read).usingRecursiveComparison().withEqualsForType(Double::equals, Double.class)
        .ignoringFields("latencies").isEqualTo(written);
    assertThat(read.latencies()).hasSameSizeAs(written.latencies());
    for (int i = 0; i < read.latencies().size(); i++) {
      assertThat(read.latencies().get(i).histogram()).isEqualTo(written.latencies().get(i).histogram());
    }
    assertThat(ReportJson.write(read)).isEqualTo(ReportJson.write(written));
  }

  @Test
  void intervalLogsReadBackWithHdrHistogramToTheSameTotals() throws Exception {
    SyntheticRun run = SyntheticRun.record(dir, 4, Shard.WHOLE);

    for (Metric metric : List.of(Metric.PUBLISH, Metric.LAG, Metric.CONNECT, Metric.TLS_HANDSHAKE)) {
      Map<String, Histogram> byTag = new HashMap<>();
      int intervals = 0;
      try (HistogramLogReader reader = new HistogramLogReader(new File(dir.toFile(), metric.key() + ".hlog"))) {
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) {
          intervals++;
          byTag.computeIfAbsent(h.getTag(), t -> new Histogram(1, 3_600_000_000L, 3)).add((Histogram) h);
        }
      }
      assertThat(intervals).isEqualTo(3 * 2); // three seconds, two protocols
      assertThat(byTag.keySet()).containsExactlyInAnyOrder("mqtt3", "https");
      byTag.forEach((tag, total) -> assertThat(total).isEqualTo(run.expected(metric, tag)));
    }
    assertThat(dir.resolve("e2e.hlog")).doesNotExist();
  }

  @Test
  void summaryTextNamesEveryFigureAPersonLooksFor() throws Exception {
    RunReport report = SyntheticRun.record(dir, 5, Shard.WHOLE).report
        .withVerdicts(List.of(new Verdict("p99 publish latency < 250 ms", true, 41.5), new Verdict("errors < 0.1 %", false, 0.778)));

    String text = TextSummary.render(report);

    assertThat(text).startsWith("thingstorm run: synthetic\n");
    assertThat(text).contains("machine   2 cores, Java 25 (Test Vendor), Linux 6 amd64, JSSE SunJSSE");
    assertThat(text).containsPattern("publish\\s+mqtt3\\s+3,000 ");
    assertThat(text).containsPattern("all\\s+4,501\\s+4,500\\s+4,500");
    assertThat(text).contains("lost      1 unacknowledged, 1 never reached a subscriber");
    assertThat(text).contains("http_403 12 (https 12), unknown_ca 24 (mqtt3 24)");
    assertThat(text).contains("  PASS  p99 publish latency < 250 ms  (actual 41.5 ms)");
    assertThat(text).contains("  FAIL  errors < 0.1 %  (actual 0.778 %)");
    assertThat(text).containsPattern("(?m)^generator 1\\.00 ms CPU per connect, 10\\.0 µs per message; "
        + "heap at most [0-9,]+ MB, RSS [0-9,]+ MB, [0-9]+ platform threads$");
  }

  @Test
  void aGeneratorOutOfCpuSaysSo() throws Exception {
    RunReport r = SyntheticRun.record(dir, 6, Shard.WHOLE).report;
    GeneratorUse busy = new GeneratorUse(2, 12.5, 96.4, 300_000_000L, 500_000_000L, 40, 9, 3_000, 2, 20_000);
    RunReport report = new RunReport(r.scenarioName(), r.scenarioText(), r.shards(), r.machines(), List.of(busy),
        r.start(), r.end(), r.connectPhase(), r.publishPhase(), r.subscribed(), r.latencies(), r.counts(),
        r.reconnects(), r.connectedMax(), r.timeline(), r.thresholds(), r.verdicts(), r.notes());

    assertThat(report.measuredNotes()).containsExactly("the generator's JVM used 96 % of its 2 cores in its busiest "
        + "second: it may have set the pace there, not the platform");
    assertThat(report.value("generator.cpu.percent.max")).isEqualTo(96.4);
    assertThat(report.value("generator.cpu.ms_per_connect")).isEqualTo(3.0);
    assertThat(report.value("generator.cpu.us_per_message")).isEqualTo(100.0);
    assertThat(TextSummary.generator(busy)).isEqualTo("3.00 ms CPU per connect, 100.0 µs per message; "
        + "CPU at most 96 % of 2 cores; heap at most 300 MB, RSS 500 MB, 40 platform threads");
    // a synthetic run never began its phases: no busiest second, so no such note
    assertThat(r.generator().cpuPercentMax()).isNaN();
    assertThat(r.measuredNotes()).noneMatch(n -> n.contains("busiest"));
  }

  @Test
  void aGeneratorThatFellBehindSaysSo() throws Exception {
    RunReport report = recorded("late", recorder -> {
      for (int i = 0; i < 100; i++) recorder.record(Metric.LAG, "mqtt3", 120_000_000L); // 120 ms behind
    });

    assertThat(report.notes()).containsExactly(
        "the generator ran behind its schedule: lag p99 120 ms (latencies count from the due time, so they include it; "
            + "where the lag grew through a phase, the asked rate was more than the generator could send)");
  }

  @Test
  void theRunsOwnSubscribersAreNotTheDevicesErrors() throws Exception {
    RunReport report = recorded("outage", recorder -> {
      for (int i = 0; i < 10; i++) recorder.record(Metric.CONNECT, "mqtt3", 3_000_000L);
      for (int i = 0; i < 100; i++) recorder.record(Metric.PUBLISH, "mqtt3", 1_000_000L);
      recorder.failure("timeout", "mqtt3");
      // A subscriber that came back after an outage: one connect, five refused tries before it.
      recorder.record(Metric.CONNECT, RunReport.SUBSCRIBER, 3_000_000L);
      for (int i = 0; i < 5; i++) recorder.failure("connection_refused", RunReport.SUBSCRIBER);
    });

    assertThat(report.attempts()).isEqualTo(10 + 100 + 1);
    assertThat(report.value("errors.count")).isEqualTo(1);
    assertThat(report.value("errors.percent")).isEqualTo(100.0 / 111);
    assertThat(TextSummary.render(report)).contains("errors    0.901 % of 111 device attempts: timeout 1 (mqtt3 1); "
        + "the run's subscribers, apart: connection_refused 5 (subscriber 5)\n");
  }

  @Test
  void connacksHeldForTheDelayedAckAreNamed() throws Exception {
    RunReport held = connects("held", "mqtt3", 41_000, 8_000); // CONNACKs 41-49 ms, as behind a 40 ms delayed ACK
    RunReport busy = connects("busy", "mqtt5", 5_000, 150_000); // a busy broker: 5-155 ms
    RunReport upgrades = connects("upgrades", "wss", 41_000, 8_000); // WebSocket upgrades, not CONNACKs

    assertThat(held.notes()).containsExactly("CONNACK came 43 ms to 47 ms after CONNECT (session p25 to p75; p50 45 ms) "
        + "while TLS handshakes took 2.0 ms (p50): the 40 ms TCP delayed ACK that a broker with Nagle's algorithm on "
        + "waits for before it sends CONNACK (mosquitto: set_tcp_nodelay true turns it off); the platform's devices pay it too");
    assertThat(busy.notes()).isEmpty();
    assertThat(upgrades.notes()).isEmpty();
  }

  /** 100 connects: 2 ms handshakes, then sessions (CONNACK, upgrade) spread evenly from {@code fromMicros} over {@code spreadMicros}. */
  private RunReport connects(String name, String protocol, long fromMicros, long spreadMicros) throws Exception {
    return recorded(name, recorder -> {
      for (int i = 0; i < 100; i++) {
        recorder.record(Metric.TLS_HANDSHAKE, protocol, 2_000_000L);
        recorder.record(Metric.SESSION, protocol, (fromMicros + spreadMicros * i / 100) * 1_000);
      }
    });
  }

  /** The report of a one-second run in which {@code run} recorded what it liked. */
  private RunReport recorded(String name, Consumer<RunRecorder> run) throws Exception {
    FakeClock clock = new FakeClock(SyntheticRun.START);
    var recorder = RunRecorder.start(dir.resolve(name), clock);
    run.accept(recorder);
    clock.advance(Duration.ofSeconds(1));
    return RunReport.of(new RunFacts(name, "", Shard.WHOLE, Machine.current("SunJSSE"), null, null,
        false, List.of(), List.of()), recorder.finish());
  }

  @Test
  void aFolderWithoutAReportIsRefusedInOneLine() throws Exception {
    assertThatThrownBy(() -> ReportReader.read(dir))
        .isInstanceOf(ReportException.class).hasMessage(dir + " holds no report.json");
    Files.writeString(dir.resolve("report.json"), "{\"format\":\"k6-summary\"}");
    assertThatThrownBy(() -> ReportReader.read(dir)).hasMessage(
        dir.resolve("report.json") + " is not a thingstorm report (format 'k6-summary', expected thingstorm-report/1)");
    Files.writeString(dir.resolve("report.json"), "<html>");
    assertThatThrownBy(() -> ReportReader.read(dir)).hasMessageStartingWith(
        dir.resolve("report.json") + " is not a thingstorm report (not JSON: ");
    // Damaged inside: the JDK's own words (class and method names) are not what a user reads.
    Path whole = dir.resolve("whole");
    ReportWriter.write(SyntheticRun.record(whole, 1, Shard.WHOLE).report, whole);
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(whole.resolve("report.json").toFile());
    json.putArray("latency").addObject().put("bogus", 1);
    Files.writeString(dir.resolve("report.json"), json.toString());
    assertThatThrownBy(() -> ReportReader.read(dir)).hasMessageStartingWith(dir.resolve("report.json") + " is damaged (")
        .hasMessageNotContaining("Cannot invoke").hasMessageNotContaining("null");
  }

  @Test
  void aFieldOfTheWrongTypeIsRefusedByItsPath_neverReadAsZero() throws Exception {
    Path whole = dir.resolve("whole");
    ReportWriter.write(SyntheticRun.record(whole, 1, Shard.WHOLE).report, whole);
    String good = Files.readString(whole.resolve("report.json"));
    Map<String, Consumer<ObjectNode>> damages = new LinkedHashMap<>();
    damages.put("latency is text \"x\", not a list", j -> j.put("latency", "x"));
    damages.put("counts.protocols[0].sent is text \"many\", not a whole number",
        j -> ((ObjectNode) j.at("/counts/protocols/0")).put("sent", "many"));
    damages.put("counts.protocols[0].failures.refused is the number 1.5, not a whole number",
        j -> ((ObjectNode) j.at("/counts/protocols/0")).putObject("failures").put("refused", 1.5));
    damages.put("shards[0] is the number 0, not an object", j -> j.putArray("shards").add(0));
    damages.put("timeline[0].sentPerSecond is text \"fast\", not a number",
        j -> ((ObjectNode) j.at("/timeline/0")).put("sentPerSecond", "fast"));
    damages.put("verdicts is an object, not a list", j -> j.putObject("verdicts"));
    damages.put("notes[0] is the number 7, not text", j -> j.putArray("notes").add(7));
    damages.put("subscribed is text \"yes\", not true or false", j -> j.put("subscribed", "yes"));
    damages.put("start cannot be read (", j -> j.put("start", "yesterday"));
    damages.put("latency[0].histogram cannot be read (", j -> ((ObjectNode) j.at("/latency/0")).put("histogram", "AAAA"));
    damages.put("scenario is missing", j -> j.remove("scenario"));

    ObjectMapper mapper = new ObjectMapper();
    for (var damage : damages.entrySet()) {
      ObjectNode json = (ObjectNode) mapper.readTree(good);
      damage.getValue().accept(json);
      Files.writeString(dir.resolve("report.json"), json.toString());
      assertThatThrownBy(() -> ReportReader.read(dir)).as(damage.getKey()).isInstanceOf(ReportException.class)
          .hasMessageStartingWith(dir.resolve("report.json") + " is damaged (" + damage.getKey());
    }
  }

  private static ProtocolCounts counts(RunReport report, String protocol) {
    return report.counts().stream().filter(c -> c.protocol().equals(protocol)).findFirst().orElseThrow();
  }
}
