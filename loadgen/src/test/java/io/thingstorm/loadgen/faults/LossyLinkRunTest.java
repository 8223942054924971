package io.thingstorm.loadgen.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.run.RunEngine;
import io.thingstorm.loadgen.run.RunResult;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.NamespaceSubscriber;
import io.thingstorm.testing.NetworkNamespace;
import io.thingstorm.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load generator run over a slow, lossy link (mosquitto in a network namespace, 5 % of packets
 * dropped and 50 ms added each way): the report shows the added latency, and nothing is lost.
 */
class LossyLinkRunTest {
  static final int DEVICES = 10;
  static final int MESSAGES = 300;

  @TempDir Path dir;

  @Test
  void theReportShowsTheAddedLatency_andEveryMessageArrives() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create()) {
      TestPki pki = TestPki.create(dir, "lossy CA", List.of(ns.address()));
      try (Mosquitto broker = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey()).namespace(ns).start();
          NamespaceSubscriber platform = NamespaceSubscriber.start(ns, broker, dir, "channels/+/messages/#");
          NetworkNamespace.Impairment link = ns.impair(Duration.ofMillis(50), 5)) {
        InetSocketAddress route = link.route(broker.tlsPort);
        Path file = dir.resolve("lossy.yaml");
        Files.writeString(file, """
            name: lossy
            target:
              mqtt: mqtts://%s:%d
              ca: %s
              profile: mainflux
            fleet:
              count: %d
              issuer: %s
              protocols: {mqtt3: 50, mqtt5: 50}
              mqtt: {qos: 1}
              subscribers: 0
            phases:
              - connect: {rate: 50}
              - publish: {rate: 100, duration: 3s}
              - disconnect: {}
            """.formatted(route.getHostString(), route.getPort(), pki.caFile(), DEVICES, pki.dir));
        Path out = dir.resolve("out");

        RunResult result = RunEngine.builder().scenario(Scenario.load(file)).out(out).build().run();

        assertThat(result.stoppedBecause()).isEmpty();
        RunReport report = ReportReader.read(out);
        ProtocolCounts all = report.totals();
        assertThat(all.sent()).isEqualTo(MESSAGES);
        assertThat(all.acknowledged()).isEqualTo(MESSAGES);
        assertThat(all.failures()).isEmpty();
        // 50 ms each way: a PUBACK comes back no sooner than 100 ms after its PUBLISH left.
        double p50 = report.histogram(Metric.PUBLISH, null).getValueAtPercentile(50) / 1000.0;
        double connectP50 = report.histogram(Metric.CONNECT, null).getValueAtPercentile(50) / 1000.0;
        assertThat(p50).isGreaterThanOrEqualTo(50);
        Map<String, Integer> heard = platform.await("[", MESSAGES, Duration.ofSeconds(20));
        assertThat(heard).hasSize(MESSAGES);
        long duplicates = heard.values().stream().mapToInt(Integer::intValue).sum() - heard.size();
        long dropped = link.droppedPackets();
        assertThat(dropped).isPositive();
        System.out.printf("loadgen over %s: %d sent, %d acknowledged, %d received, %d duplicates, publish p50 %.0f ms, "
            + "p99 %.0f ms, connect p50 %.0f ms, %d packets dropped%n", link, all.sent(), all.acknowledged(), heard.size(), duplicates,
            p50, report.histogram(Metric.PUBLISH, null).getValueAtPercentile(99) / 1000.0, connectP50, dropped);
      }
    }
  }
}
