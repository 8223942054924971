package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Things with Ed25519 keys: provider auto takes the JDK's TLS for them, as Conscrypt signs no client
 * CertificateVerify with such a key (every device was refused with "certificate required").
 */
class Ed25519FleetRunTest {
  @TempDir Path dir;

  @Test
  void anEd25519FleetConnectsAndPublishesUnderProviderAuto() {
    Scenario scenario = ScenarioFiles.write(dir, "ed25519", """
        name: ed25519
        target: {embedded: true}
        fleet:
          count: 4
          keyType: ed25519
          protocols: {mqtt3: 50, https: 50}
          subscribers: 1
        phases:
          - connect: {rate: 20}
          - publish: {rate: 20, count: 20}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().failureCount()).as(report.totals().failures().toString()).isZero();
    assertThat(report.totals().acknowledged()).isEqualTo(20);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(20);
    assertThat(report.machines().get(0).jsseProvider()).startsWith("jdk");
  }
}
