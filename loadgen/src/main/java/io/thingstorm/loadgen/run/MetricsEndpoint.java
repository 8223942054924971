package io.thingstorm.loadgen.run;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code run --metrics-port}: the run's figures, second by second, at {@code http://host:PORT/metrics}
 * in the Prometheus exposition format, for watching a long run in Grafana. It shows what the live
 * progress line shows (the same {@link TimelinePoint}s), and the run's counters as they stand at the
 * scrape ({@code thingstorm_messages_total}, {@code thingstorm_handshakes_total}), which Grafana's
 * {@code rate()} and {@code increase()} take over any window; the report stays the exact record.
 */
public final class MetricsEndpoint implements Consumer<TimelinePoint>, AutoCloseable {
  private final HTTPServer server;
  private final Gauge connected;
  private final Gauge handshakes;
  private final Gauge messages;
  private final Gauge publishLatency;
  private final Gauge lag;
  private final Gauge cpu;
  private final Counter failures;
  private volatile Supplier<ProtocolCounts> counts = () -> ProtocolCounts.none("all");

  private MetricsEndpoint(int port, String scenario, String shard) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    connected = Gauge.builder().name("thingstorm_connected_devices").help("devices connected now")
        .labelNames("scenario", "shard").register(registry);
    handshakes = Gauge.builder().name("thingstorm_handshakes_per_second").help("TLS handshakes completed in the last second")
        .labelNames("scenario", "shard").register(registry);
    messages = Gauge.builder().name("thingstorm_messages_per_second")
        .help("messages in the last second: sent, acknowledged (PUBACK, HTTP 2xx, frame written), received by subscribers")
        .labelNames("scenario", "shard", "stage").register(registry);
    publishLatency = Gauge.builder().name("thingstorm_publish_latency_seconds")
        .help("publish latency from due time to acknowledgement over the last second, by quantile")
        .labelNames("scenario", "shard", "quantile").register(registry);
    lag = Gauge.builder().name("thingstorm_generator_lag_p99_seconds")
        .help("how late the generator started its work over the last second, 99th percentile")
        .labelNames("scenario", "shard").register(registry);
    cpu = Gauge.builder().name("thingstorm_generator_cpu_ratio")
        .help("the generator JVM's CPU over the last second as a share of all its cores, 0 to 1")
        .labelNames("scenario", "shard").register(registry);
    failures = Counter.builder().name("thingstorm_failures").help("failed connects and publishes by class")
        .labelNames("scenario", "shard", "class").register(registry);
    // Read at each scrape: exact between the once-a-second points, and they never go back.
    CounterWithCallback.builder().name("thingstorm_messages")
        .help("messages since the run started: sent, acknowledged (PUBACK, HTTP 2xx, frame written), received by subscribers")
        .labelNames("scenario", "shard", "stage")
        .callback(callback -> {
          ProtocolCounts c = counts.get();
          callback.call(c.sent(), scenario, shard, "sent");
          callback.call(c.acknowledged(), scenario, shard, "acknowledged");
          callback.call(c.received(), scenario, shard, "received");
        }).register(registry);
    CounterWithCallback.builder().name("thingstorm_handshakes").help("TLS handshakes completed since the run started, full or resumed")
        .labelNames("scenario", "shard", "kind")
        .callback(callback -> {
          ProtocolCounts c = counts.get();
          callback.call(c.handshakesFull(), scenario, shard, "full");
          callback.call(c.handshakesResumed(), scenario, shard, "resumed");
        }).register(registry);
    this.scenario = scenario;
    this.shard = shard;
    server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
  }

  private final String scenario;
  private final String shard;

  /** Serves on {@code port} (0: a free one) until closed; fails in one line when the port is taken. */
  public static MetricsEndpoint start(int port, String scenario, String shard) {
    try {
      return new MetricsEndpoint(port, scenario, shard);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Where the run's counters are read at each scrape; none until set. */
  public void countFrom(Supplier<ProtocolCounts> counts) {
    this.counts = counts;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void accept(TimelinePoint p) {
    connected.labelValues(scenario, shard).set(p.connected());
    handshakes.labelValues(scenario, shard).set(p.handshakesPerSecond());
    messages.labelValues(scenario, shard, "sent").set(p.sentPerSecond());
    messages.labelValues(scenario, shard, "acknowledged").set(p.acknowledgedPerSecond());
    messages.labelValues(scenario, shard, "received").set(p.receivedPerSecond());
    messages.labelValues(scenario, shard, "warmup").set(p.warmUpPerSecond());
    publishLatency.labelValues(scenario, shard, "0.5").set(p.publishP50Ms() / 1000);
    publishLatency.labelValues(scenario, shard, "0.99").set(p.publishP99Ms() / 1000);
    lag.labelValues(scenario, shard).set(p.lagP99Ms() / 1000);
    cpu.labelValues(scenario, shard).set(p.generatorCpuPercent() / 100);
    p.errors().forEach((failureClass, count) -> failures.labelValues(scenario, shard, failureClass).inc(count));
  }

  @Override
  public void close() {
    server.close();
  }
}
