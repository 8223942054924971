package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.thingstorm.client.FailureKind;
import io.thingstorm.loadgen.handshake.OpensslServer;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario's {@code tls.groups} reach the devices' handshakes over every protocol: against an
 * openssl s_server that speaks x25519 only, devices offering secp384r1 are refused in the handshake,
 * and devices offering x25519 are not (they then wait in vain for an answer: s_server is no platform).
 */
class KeyExchangeGroupsRunTest {
  @TempDir Path dir;

  @Test
  void theGroupsOfTheScenarioAreTheOnesTheDevicesOffer() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (OpensslServer server = OpensslServer.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), "-groups", "X25519")) {
      RunReport refused = run(server.port, pki, "secp384r1");
      assertThat(refused.totals().failures()).as(String.join("\n", refused.notes()))
          .containsExactly(entry(FailureClass.of(FailureKind.HANDSHAKE_FAILED), 4L));
      assertThat(refused.protocols()).containsExactlyInAnyOrder("mqtt3", "mqtt5", "https", "wss");
      // provider auto, where Conscrypt loads, takes the JDK's TLS for groups: Conscrypt would ignore them
      assertThat(refused.machines().get(0).jsseProvider()).startsWith("jdk");

      RunReport through = run(server.port, pki, "x25519");
      assertThat(through.totals().failures()).containsOnlyKeys(FailureClass.of(FailureKind.TIMEOUT));
    }
  }

  private RunReport run(int port, TestPki pki, String group) throws Exception {
    Path file = dir.resolve(group + ".yaml");
    Files.writeString(file, """
        name: groups
        target:
          mqtt: mqtts://127.0.0.1:%1$d
          https: https://127.0.0.1:%1$d/http
          wss: wss://127.0.0.1:%1$d/ws
          ca: %2$s
          tls: {versions: [TLSv1.3], groups: [%3$s]}
        fleet:
          count: 4
          issuer: %4$s
          protocols: {mqtt3: 25, mqtt5: 25, https: 25, wss: 25}
          subscribers: 0
        phases:
          - connect: {rate: 20}
          - disconnect: {}
        """.formatted(port, pki.caFile(), group, pki.dir));
    Path out = dir.resolve("out-" + group);
    DeviceOptions quick = new DeviceOptions(1, 60, true, Duration.ofSeconds(2), Duration.ofSeconds(2), false, 8, null);
    RunEngine.builder().scenario(Scenario.load(file)).out(out).deviceOptions(quick).build().run();
    return ReportReader.read(out);
  }
}
