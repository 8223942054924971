package io.thingstorm.loadgen.report;

import io.thingstorm.loadgen.metrics.Measurements;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * A run made up in a test: a few threads record known latencies and counts for three seconds of a
 * fake clock. The same values go into plain histograms, to hold the report's figures against.
 */
final class SyntheticRun {
  static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  static final int THREADS = 3;
  static final int SECONDS = 3;
  static final int PER_THREAD_PER_SECOND = 500;
  static final String SCENARIO = """
      name: synthetic
      # a scenario text with something to escape: </script><b>bold</b>
      phases: [connect, publish]
      """;

  final RunReport report;
  /** What was recorded, by "metric/protocol", in microseconds. */
  final Map<String, Histogram> expected;
  final Path dir;

  private SyntheticRun(RunReport report, Map<String, Histogram> expected, Path dir) {
    this.report = report;
    this.expected = expected;
    this.dir = dir;
  }

  /** Records into {@code dir} (the interval logs) and returns the report, not yet written. */
  static SyntheticRun record(Path dir, long seed, Shard shard) throws InterruptedException {
    FakeClock clock = new FakeClock(START.plusMillis(seed * 37)); // shards start a little apart
    RunRecorder recorder = RunRecorder.start(dir, clock);
    Map<String, Histogram> expected = new ConcurrentHashMap<>();
    for (int second = 0; second < SECONDS; second++) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Random random = new Random(seed * 1000 + second * 10 + t);
        String protocol = t == 2 ? "https" : "mqtt3";
        boolean warmingUp = second == 0;
        threads.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < PER_THREAD_PER_SECOND; i++) {
            long publishMicros = 200 + (long) (random.nextDouble() * random.nextDouble() * 50_000);
            record(recorder, expected, Metric.PUBLISH, protocol, publishMicros);
            record(recorder, expected, Metric.LAG, protocol, random.nextInt(400));
            recorder.sent(protocol, 120);
            recorder.acknowledged(protocol);
            recorder.received("mqtt5", 120);
            if (i % 50 == 0) {
              record(recorder, expected, Metric.CONNECT, protocol, 3_000 + random.nextInt(20_000));
              record(recorder, expected, Metric.TLS_HANDSHAKE, protocol, 2_000 + random.nextInt(10_000));
              recorder.handshake(protocol, i % 100 == 0);
              recorder.connected(1);
            }
            if (warmingUp && i % 10 == 0) recorder.warmUp(i % 20 == 0); // in no figure but its own plot line
            if (i % 125 == 0) recorder.failure(protocol.equals("https") ? "http_403" : "unknown_ca", protocol);
          }
        }));
      }
      for (Thread thread : threads) thread.join();
      clock.advance(Duration.ofSeconds(1));
      recorder.tick();
    }
    recorder.sent("mqtt3", 120); // one more, never acknowledged
    recorder.reconnect();
    // as the engine tells it: 90 connects on 90 ms of CPU, 4,500 messages on 45 ms
    recorder.generator().connectPhase(90_000_000L, 90);
    recorder.generator().publishPhase(45_000_000L, 4_500);
    Measurements measured = recorder.finish();
    RunFacts facts = new RunFacts("synthetic", SCENARIO, shard, new Machine(2, "25", "Test Vendor", "Linux 6 amd64", "SunJSSE"),
        Duration.ofSeconds(1), Duration.ofSeconds(SECONDS), true,
        List.of("p99 publish latency < 250 ms", "errors < 0.1 %"), List.of());
    return new SyntheticRun(RunReport.of(facts, measured), new TreeMap<>(expected), dir);
  }

  private static void record(RunRecorder recorder, Map<String, Histogram> expected, Metric metric, String protocol, long micros) {
    recorder.record(metric, protocol, micros * 1000);
    Histogram h = expected.computeIfAbsent(metric.key() + "/" + protocol, k -> RunRecorder.newHistogram());
    synchronized (h) {
      h.recordValue(micros);
    }
  }

  Histogram expected(Metric metric, String protocol) {
    return expected.get(metric.key() + "/" + protocol);
  }

  /** All protocols of a metric added, as the report's {@code <metric>.latency.*} figures count them. */
  Histogram expected(Metric metric) {
    Histogram sum = RunRecorder.newHistogram();
    expected.forEach((k, h) -> { if (k.startsWith(metric.key() + "/")) sum.add(h); });
    return sum;
  }
}
