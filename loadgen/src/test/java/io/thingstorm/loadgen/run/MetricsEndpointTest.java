package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.scenario.Scenario;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics-port}: while a run goes on, Prometheus can scrape what the progress line shows. */
class MetricsEndpointTest {
  @TempDir Path dir;

  @Test
  void aRunServesItsFiguresInThePrometheusFormat_whileItRuns() throws Exception {
    Scenario scenario = ScenarioFiles.write(dir, "metrics", """
        name: metrics
        target: {embedded: true}
        fleet: {count: 5, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 10}
          - warmup: {rate: 20, duration: 3s}
          - publish: {rate: 20, duration: 4s}
          - disconnect: {}
        """);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    RunEngine engine = RunEngine.builder().scenario(scenario).out(dir.resolve("out")).metricsPort(port).build();
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(engine::run);

    String scraped = "";
    boolean warmUpSeen = false;
    List<Double> acknowledgedTotals = new ArrayList<>();
    Pattern acknowledgedTotal = Pattern.compile("thingstorm_messages_total\\{scenario=\"metrics\",shard=\"0/1\",stage=\"acknowledged\"} ([0-9.E]+)");
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 60 && !scraped.contains("thingstorm_messages_per_second{scenario=\"metrics\",shard=\"0/1\",stage=\"acknowledged\"} 2"); i++) {
      Thread.sleep(500);
      try {
        scraped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        warmUpSeen |= Pattern.compile("stage=\"warmup\"} [1-9]").matcher(scraped).find();
        Matcher total = acknowledgedTotal.matcher(scraped);
        if (total.find()) acknowledgedTotals.add(Double.parseDouble(total.group(1)));
      } catch (java.io.IOException notYet) {
        // the endpoint starts with the run
      }
    }
    run.join();

    assertThat(scraped).contains("thingstorm_connected_devices{scenario=\"metrics\",shard=\"0/1\"} 5.0")
        .contains("thingstorm_messages_per_second{scenario=\"metrics\",shard=\"0/1\",stage=\"acknowledged\"} 2")
        .contains("# TYPE thingstorm_publish_latency_seconds gauge")
        .containsPattern("thingstorm_generator_cpu_ratio\\{scenario=\"metrics\",shard=\"0/1\"} (?!0\\.0\\s)[0-9][0-9.E-]*\\s"); // some CPU, a number, not NaN
    assertThat(warmUpSeen).as("the warmup phase's rate under stage=warmup").isTrue();
    // Counters for Grafana's rate(): they only grow, and the warm-up is not in them.
    assertThat(scraped).contains("# TYPE thingstorm_messages_total counter")
        .contains("thingstorm_handshakes_total{kind=\"full\",scenario=\"metrics\",shard=\"0/1\"} 5.0");
    assertThat(acknowledgedTotals).isSorted().last().satisfies(last -> assertThat(last).isBetween(1.0, 80.0));
    assertThat(acknowledgedTotals).first().isEqualTo(0.0);
  }
}
