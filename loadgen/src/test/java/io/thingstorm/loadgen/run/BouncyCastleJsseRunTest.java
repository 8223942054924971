package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bouncy Castle's JSSE under every protocol, against the embedded testbed at 127.0.0.1: it keeps no
 * host name for an IP address by itself, so each way a socket is made must tell it the host.
 */
class BouncyCastleJsseRunTest {
  @TempDir Path dir;

  @Test
  void everyProtocolConnectsAndPublishesOverBouncyCastleJsse() {
    Scenario scenario = ScenarioFiles.write(dir, "bcjsse", """
        name: bcjsse
        target:
          embedded: true
          tls: {provider: bouncycastle}
        fleet:
          count: 4
          protocols: {mqtt3: 25, mqtt5: 25, https: 25, wss: 25}
          subscribers: 1
        phases:
          - connect: {rate: 20}
          - publish: {rate: 40, count: 16}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.notes()).anyMatch(n -> n.contains("TLS by bcjsse"));
    assertThat(report.totals().failureCount()).as(report.totals().failures().toString()).isZero();
    assertThat(report.totals().acknowledged()).isEqualTo(16);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(16);
    for (String protocol : new String[] {"mqtt3", "mqtt5", "https", "wss"}) {
      assertThat(ScenarioFiles.counts(report, protocol).handshakes()).as(protocol).isPositive();
    }
  }
}
