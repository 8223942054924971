package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, scenarios/quickstart.yaml, with nothing set up: the embedded testbed
 * starts in this JVM, 200 devices over every protocol connect, publish, churn and disconnect, and
 * what the report says was acknowledged is what the testbed received.
 */
class QuickstartRunTest {
  @TempDir Path out;

  @Test
  void quickstartRunsOnTheEmbeddedTestbed_andTheReportAgreesWithTheTestbed() throws Exception {
    Scenario quickstart = Scenario.load(ScenarioFiles.repositoryScenario("quickstart.yaml"));

    RunResult result = RunEngine.builder().scenario(quickstart).out(out).build().run();

    assertThat(result.stoppedBecause()).isEmpty();
    for (String file : new String[] {"summary.txt", "report.json", "report.html", "connect.hlog", "publish.hlog", "e2e.hlog", "lag.hlog"}) {
      assertThat(out.resolve(file)).isNotEmptyFile();
    }
    RunReport report = ReportReader.read(out);
    // 200/s for 15 s, then 100 -> 300/s over 5 s: 3,000 + 1,000 messages, each to a connected device.
    assertThat(report.totals().sent()).isEqualTo(4_000);
    assertThat(report.histogram(Metric.PUBLISH, null).getTotalCount() + report.totals().failureCount())
        .isGreaterThanOrEqualTo(4_000);
    assertThat(report.connectedMax()).isEqualTo(200);
    assertThat(report.reconnects()).isEqualTo(50); // 5 % of 200 per second for 5 s
    assertThat(report.protocols()).contains("mqtt3", "mqtt5", "https", "wss");

    CountsSnapshot testbed = result.platformCounts().orElseThrow();
    long mqtt = ScenarioFiles.counts(report, "mqtt3").acknowledged() + ScenarioFiles.counts(report, "mqtt5").acknowledged();
    assertThat(testbed.protocol(Protocol.MQTT).messages()).isEqualTo(mqtt);
    assertThat(testbed.protocol(Protocol.HTTPS).messages()).isEqualTo(ScenarioFiles.counts(report, "https").acknowledged());
    assertThat(testbed.protocol(Protocol.WSS).messages()).isEqualTo(ScenarioFiles.counts(report, "wss").acknowledged());
    assertThat(testbed.total().messages()).isEqualTo(report.totals().acknowledged());
    // The subscriber heard what the testbed took in, and timed it end to end.
    assertThat(report.totals().received()).isEqualTo(testbed.total().messages());
    assertThat(report.histogram(Metric.END_TO_END, null).getTotalCount()).isEqualTo(report.totals().received());
    assertThat(report.notes()).anyMatch(n -> n.startsWith("the embedded testbed received"));
    // Before the connect phase the generator made MQTT connects of its own, in this JVM, in the
    // version most devices use, so that its cold start is not counted as the testbed's latency;
    // the timeline shows them apart from the handshakes.
    assertThat(report.notes()).anyMatch(n -> n.matches("warm-up: [1-9][0-9,]* MQTT 3.1.1 connects .*") && !n.contains("stopped"));
    assertThat(report.timeline()).anyMatch(p -> p.warmUpConnectsPerSecond() > 0);

    // Every MQTT connect is timed apart too: TCP connect, TLS handshake and CONNACK, as HTTPS's TCP
    // and handshake are; the summary, report.json (read back above) and report.html show them.
    for (String version : List.of("mqtt3", "mqtt5")) {
      long connects = report.histogram(Metric.CONNECT, version).getTotalCount();
      assertThat(connects).as(version).isPositive();
      for (Metric step : List.of(Metric.TCP_CONNECT, Metric.TLS_HANDSHAKE, Metric.SESSION)) {
        assertThat(report.histogram(step, version).getTotalCount()).as("%s %s", step, version).isEqualTo(connects);
      }
    }
    assertThat(Files.readString(out.resolve("summary.txt")))
        .containsPattern("(?m)^tcp +mqtt3 ").containsPattern("(?m)^handshake +mqtt5 ").containsPattern("(?m)^session +mqtt3 ")
        // The subscribers' connect is a latency row, not a row of zeros in the messages table.
        .containsPattern("(?m)^connect +subscriber ").doesNotContainPattern("(?m)^subscriber ");
    assertThat(Files.readString(out.resolve("report.html"))).contains("<tr><td>handshake</td><td>mqtt3</td>");

    // The generator's own use: its connects and messages, and the CPU they took (the testbed's too:
    // it runs in this JVM, and a note says so).
    var generator = report.generator();
    assertThat(report.generators()).hasSize(1);
    assertThat(generator.connects()).isEqualTo(200);
    assertThat(generator.messages()).isEqualTo(4_000);
    assertThat(generator.cpuMsPerConnect()).isPositive();
    assertThat(generator.cpuMicrosPerMessage()).isPositive();
    assertThat(generator.cpuPercentMax()).isBetween(0.0, 100.0);
    assertThat(report.timeline()).anyMatch(p -> p.generatorCpuPercent() > 0);
    assertThat(report.notes()).anyMatch(n -> n.startsWith("generator: the embedded testbed runs in the generator's JVM"));
    assertThat(Files.readString(out.resolve("summary.txt"))).containsPattern("(?m)^generator [0-9.]+ ms CPU per connect");
  }
}
