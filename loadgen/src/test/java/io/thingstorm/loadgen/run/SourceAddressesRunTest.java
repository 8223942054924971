package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet spread over three loopback source addresses, against a real mosquitto that logs where each connection came from. */
class SourceAddressesRunTest {
  @TempDir Path dir;

  @Test
  void devicesTakeTheSourceAddressesInTurn() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      Path file = dir.resolve("spread.yaml");
      Files.writeString(file, """
          name: spread
          target:
            mqtt: mqtts://localhost:%d
            ca: %s
            profile: generic
          fleet:
            count: 9
            issuer: %s
            protocols: {mqtt3: 67, mqtt5: 33}
            subscribers: 0
            sourceAddresses: [127.0.0.2, 127.0.0.3, 127.0.0.4]
          phases:
            - connect: {rate: 100}
            - publish: {rate: 100, count: 90}
            - disconnect: {}
          """.formatted(broker.tlsPort, pki.caFile(), pki.dir));
      Path out = dir.resolve("out");
      RunResult result = RunEngine.builder().scenario(Scenario.load(file)).out(out).build().run();

      assertThat(result.stoppedBecause()).isEmpty();
      RunReport report = ReportReader.read(out);
      ProtocolCounts all = report.totals();
      assertThat(report.connectedMax()).isEqualTo(9);
      assertThat(all.acknowledged()).isEqualTo(90);
      assertThat(all.failures()).isEmpty();

      // Device i connects from address i mod 3: three connections from each.
      Matcher from = Pattern.compile("New client connected from (127\\.0\\.0\\.\\d+):\\d+ as ").matcher(broker.log());
      java.util.Map<String, Integer> perAddress = new java.util.TreeMap<>();
      while (from.find()) perAddress.merge(from.group(1), 1, Integer::sum);
      assertThat(perAddress).hasToString("{127.0.0.2=3, 127.0.0.3=3, 127.0.0.4=3}");
    }
  }
}
