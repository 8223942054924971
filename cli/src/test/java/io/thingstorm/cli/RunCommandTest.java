package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thingstorm run}, in-process: exit codes, one-line refusals of bad scenarios, the summary. */
class RunCommandTest {
  @TempDir Path dir;

  @Test
  void aBadScenarioIsOneLineWithFileLineAndField_exit2() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        name: bad
        target: {embedded: true}
        fleet: {count: 10}
        phases:
          - connect: {rate: -5}
        """);

    CliRun run = CliRun.of("run", file.toString(), "--out", dir.resolve("out").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n")
        .contains(file.toString()).contains("line 5").contains("phases[0].connect.rate");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMissingScenarioFileIsExit2() {
    CliRun run = CliRun.of("run", dir.resolve("nothing.yaml").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nothing.yaml").contains("no such file");
  }

  @Test
  void anOutFolderThatCannotBeWrittenIsExit2_beforeTheRun() throws IOException {
    Path file = Files.writeString(dir.resolve("small.yaml"), """
        name: small
        target: {embedded: true}
        fleet: {count: 1}
        phases:
          - connect: {rate: 1}
        """);
    Path aFile = Files.writeString(dir.resolve("a-file"), "not a folder");

    CliRun onAFile = CliRun.of("run", file.toString(), "--out", aFile.toString(), "--quiet");
    CliRun inProc = CliRun.of("run", file.toString(), "--out", "/proc/thingstorm-out", "--quiet");

    assertThat(onAFile.exitCode()).as(onAFile.err()).isEqualTo(2);
    assertThat(onAFile.err()).isEqualTo("thingstorm: --out: cannot write the report to " + aFile + ": a file is in the way\n");
    assertThat(onAFile.out()).isEmpty();
    assertThat(aFile).hasContent("not a folder");
    assertThat(inProc.exitCode()).as(inProc.err()).isEqualTo(2);
    assertThat(inProc.err()).startsWith("thingstorm: --out: cannot write the report to /proc/thingstorm-out: ").hasLineCount(1);
    assertThat(inProc.out()).isEmpty();
  }

  @Test
  void aMissedThresholdIsExit3_andNamed_theReportIsWritten() throws IOException {
    Path file = dir.resolve("small.yaml");
    Files.writeString(file, """
        name: small
        target: {embedded: true}
        fleet: {count: 6, protocols: {mqtt3: 50, https: 50}}
        phases:
          - connect: {rate: 20}
          - publish: {rate: 30, count: 30}
          - disconnect: {}
        thresholds:
          - "connected >= 7"
          - "errors < 1 %"
        """);
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("run", file.toString(), "--out", out.toString(), "--quiet");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err()).contains("threshold missed: connected >= 7 (was 6)").doesNotContain("errors < 1 %");
    assertThat(run.out()).contains("thingstorm run small").contains("report: " + out.resolve("report.html"))
        .contains("set-up: 6 devices, 1 subscriber, TLS by ");
    assertThat(out.resolve("report.json")).isNotEmptyFile();
    assertThat(out.resolve("summary.txt")).isNotEmptyFile();

    // A second run into the same folder is refused before it starts: the first one's report stays.
    byte[] first = Files.readAllBytes(out.resolve("report.json"));
    CliRun again = CliRun.of("run", file.toString(), "--out", out.toString(), "--quiet");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).startsWith("thingstorm: --out: " + out + " holds a report already").hasLineCount(1);
    assertThat(again.out()).isEmpty();
    assertThat(Files.readAllBytes(out.resolve("report.json"))).isEqualTo(first);
  }

  @Test
  void checkReadsTheCaBundle_soADamagedOneIsRefusedBeforeTheRun() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
    Path file = Files.writeString(dir.resolve("platform.yaml"), """
        name: platform
        target: {mqtt: "mqtts://127.0.0.1:8883", ca: ca.crt}
        fleet: {count: 2, issuer: pki, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 10}
        """);
    CliRun.of("certs", "ca", "--dir", dir.resolve("pki").toString());

    CliRun run = CliRun.of("run", "--check", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("thingstorm: " + file + " line 2: target.ca: " + ca + " holds a damaged PEM block: "
        + "its base64 text is damaged (a character that is not base64, or part of a line missing)\n");
  }

  @Test
  void anIssuerWithAnEncryptedKeyIsReadWithCaPassword() throws IOException {
    Path pki = dir.resolve("pki");
    assertThat(CliRun.of("certs", "ca", "--dir", pki.toString(), "--key-password", "s3cret").exitCode()).isZero();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path file = Files.writeString(dir.resolve("platform.yaml"), """
        name: platform
        target: {mqtt: "mqtts://127.0.0.1:%d", ca: pki/ca.crt}
        fleet: {count: 2, issuer: pki, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 20}
          - disconnect: {}
        """.formatted(closedPort));

    CliRun without = CliRun.of("run", file.toString(), "--quiet", "--out", dir.resolve("without").toString());
    assertThat(without.exitCode()).isEqualTo(1);
    assertThat(without.err()).contains(pki.resolve("ca.key") + " is an encrypted key: give --ca-password, set THINGSTORM_CA_PASSWORD")
        .hasLineCount(1);

    // With it, the fleet is issued and the run goes on to the platform, which is not there.
    CliRun with = CliRun.of("run", file.toString(), "--quiet", "--out", dir.resolve("with").toString(), "--ca-password", "s3cret");
    assertThat(with.err()).doesNotContain("encrypted").doesNotContain("password");
    assertThat(with.out()).contains("set-up: 2 devices, 0 subscribers").contains("connection_refused");
  }

  @Test
  void aShardWithNoDevicesIsAUsageError() {
    CliRun run = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--shard", "500/1000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("thingstorm: shard 500/1000 has no devices: the fleet has 200, so at most 200 shards\n");
  }

  @Test
  void checkPrintsThePlanAndConnectsNothing() {
    CliRun run = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--out", dir.resolve("out").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "quickstart: 200 devices (mqtt3 140, mqtt5 20, https 20, wss 20), 1 subscriber per channel; target: the embedded testbed",
        "  messages    SenML JSON, as rendered; MQTT QoS 1, keep-alive 30.0 s",
        "  connect     200 connections at 100/s, 2.0 s",
        "  publish     3,000 messages at 200/s, 15.0 s",
        "  hold        2.0 s",
        "  churn       50 reconnects at 10/s, 5.0 s (5 % of the fleet a second)",
        "  publish     1,000 messages at 100 rising to 300/s, 5.0 s",
        "  disconnect  200 devices at once",
        "about 29.0 s in all; thresholds: p99 publish latency < 1000 ms; errors < 1 %; connected >= 200");
    assertThat(dir.resolve("out")).doesNotExist();

    CliRun shard = CliRun.of("run", "--check", "--shard", "2/3", "../scenarios/quickstart.yaml");
    assertThat(shard.out()).startsWith("quickstart (shard 2/3): 66 devices (")
        .contains("  publish     1,000 messages at 66.67/s, 15.0 s");
  }

  @Test
  void setChangesAFieldForThisRun_andABadOneIsExit2() {
    CliRun run = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--set", "fleet.count=20",
        "--set", "phases[1].publish.rate=50", "--set", "thresholds=");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("quickstart: 20 devices (mqtt3 14, mqtt5 2, https 2, wss 2)")
        .contains("  publish     750 messages at 50/s, 15.0 s").contains("thresholds: none");

    CliRun bad = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--set", "fleet.count=-1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).startsWith("thingstorm: --set fleet.count=-1: fleet.count: ").hasLineCount(1);
    CliRun noValue = CliRun.of("run", "--check", "../scenarios/quickstart.yaml", "--set", "fleet.count");
    assertThat(noValue.exitCode()).isEqualTo(2);
    assertThat(noValue.err()).isEqualTo("thingstorm: --set fleet.count: write PATH=VALUE, e.g. --set fleet.count=500\n");
  }
}
