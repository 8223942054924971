package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mosquitto, as Debian ships it, leaves Nagle's algorithm on: its CONNACK waits behind the TLS session
 * tickets it sent a moment before until the device's 40 ms delayed ACK. The report names that wait,
 * and a broker with {@code set_tcp_nodelay true} answers at once.
 */
class DelayedAckBrokerRunTest {
  @TempDir Path dir;

  @Test
  void aBrokerWaitingForTheDelayedAckIsNamedInTheReport() throws Exception {
    TestPki pki = TestPki.create(dir);
    RunReport nagle;
    RunReport noDelay;
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      nagle = connect(pki, broker, "nagle");
    }
    try (Mosquitto broker = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey())
        .globalLine("set_tcp_nodelay true").start()) {
      noDelay = connect(pki, broker, "nodelay");
    }

    assertThat(nagle.histogram(Metric.SESSION, null).getValueAtPercentile(50)).isGreaterThanOrEqualTo(40_000); // µs
    assertThat(nagle.notes()).anyMatch(n -> n.startsWith("CONNACK came ")
        && n.contains("mosquitto: set_tcp_nodelay true turns it off"));
    assertThat(noDelay.histogram(Metric.SESSION, null).getValueAtPercentile(50)).isLessThan(20_000);
    assertThat(noDelay.notes()).noneMatch(n -> n.startsWith("CONNACK came "));
  }

  private RunReport connect(TestPki pki, Mosquitto broker, String name) throws Exception {
    Scenario scenario = ScenarioFiles.write(dir, name, """
        name: %s
        target:
          mqtt: mqtts://localhost:%d
          ca: %s
          profile: generic
        fleet:
          count: 30
          issuer: %s
          protocols: {mqtt3: 100}
          subscribers: 0
        phases:
          - connect: {rate: 50}
          - disconnect: {}
        """.formatted(name, broker.tlsPort, pki.caFile(), pki.dir));
    Path out = dir.resolve(name);
    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();
    assertThat(result.stoppedBecause()).isEmpty();
    RunReport report = ReportReader.read(out);
    assertThat(report.connectedMax()).isEqualTo(30);
    return report;
  }
}
