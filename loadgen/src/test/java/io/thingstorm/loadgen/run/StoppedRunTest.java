package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that is stopped (Ctrl-C), or whose platform is not there, ends cleanly and still leaves its report. */
class StoppedRunTest {
  @TempDir Path dir;

  @Test
  void aStopEndsThePhaseUnderWay_devicesDisconnect_andTheReportOfWhatRanIsWritten() throws Exception {
    Scenario scenario = ScenarioFiles.write(dir, "long", """
        name: long
        target: {embedded: true}
        fleet: {count: 10, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 20}
          - publish: {rate: 50, duration: 10m}
          - disconnect: {}
        """);
    Path out = dir.resolve("out");
    RunEngine engine = RunEngine.builder().scenario(scenario).out(out).build();

    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(engine::run);
    Thread.sleep(6_000);
    assertThat(engine.stage()).isEqualTo("publish (phase 2 of 3)");
    assertThat(engine.stopAndAwait("interrupted (Ctrl-C)", Duration.ofSeconds(60))).isTrue();
    RunResult result = run.join();

    assertThat(result.stoppedBecause()).contains("interrupted (Ctrl-C)");
    assertThat(engine.stage()).isEqualTo("stopping: closing the connections"); // not the phase it stopped
    RunReport report = ReportReader.read(out);
    assertThat(report.totals().sent()).isPositive().isLessThan(30_000);
    assertThat(report.totals().acknowledged()).isEqualTo(report.totals().sent());
    assertThat(report.notes()).anyMatch(n -> n.startsWith("stopped early: interrupted (Ctrl-C)"));
    assertThat(report.timeline().get(report.timeline().size() - 1).connected()).isZero();
  }

  @Test
  void aStopWhileTheFleetsIdentitiesAreIssued_endsTheRunAtOnce_andStillWritesTheReport() throws Exception {
    // 2,000 RSA keys take minutes on two cores; the stop must not wait for them.
    Scenario scenario = ScenarioFiles.write(dir, "rsa", """
        name: rsa
        target: {embedded: true}
        fleet: {count: 2000, keyType: rsa-2048, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 100}
        """);
    Path out = dir.resolve("out-rsa");
    RunEngine engine = RunEngine.builder().scenario(scenario).out(out).build();

    // The live line says how far issuing got, so that a long set-up does not look stuck.
    RunResult result = stopWhileIssuing(engine, "set-up: issuing identities [1-9][0-9,]*/2,000", "interrupted (Ctrl-C)");

    assertThat(result.stoppedBecause()).contains("interrupted (Ctrl-C)");
    assertThat(engine.stage()).isEqualTo("stopping: interrupted (Ctrl-C)");
    RunReport report = ReportReader.read(out);
    assertThat(report.totals().sent()).isZero();
    assertThat(report.notes()).anyMatch(n -> n.startsWith("stopped early: interrupted (Ctrl-C)"));
  }

  @Test
  void aStopWhileIdentitiesAreIssuedIntoAFolder_leavesNoHalfFleet_andStillWritesTheReport() throws Exception {
    Scenario scenario = ScenarioFiles.write(dir, "rsa-folder", """
        name: rsa-folder
        target: {embedded: true}
        fleet: {count: 2000, keyType: rsa-2048, identities: ids, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 100}
        """);
    Path out = dir.resolve("out-rsa-folder");
    RunEngine engine = RunEngine.builder().scenario(scenario).out(out).build();

    RunResult result = stopWhileIssuing(engine, "set-up: issuing identities into .*ids [1-9][0-9,]*/2,000", "stopped by SIGTERM");

    assertThat(result.stoppedBecause()).contains("stopped by SIGTERM");
    assertThat(ReportReader.read(out).notes()).anyMatch(n -> n.startsWith("stopped early: stopped by SIGTERM"));
    assertThat(dir.resolve("ids").resolve("things.csv")).doesNotExist(); // no half fleet for the next run to read
  }

  @Test
  void aPlatformThatIsNotThere_stopsTheRunAfterTheConnectPhase_withEveryFailureCounted() throws IOException {
    Path ca = dir.resolve("ca");
    CertificateAuthority authority = CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 365);
    CaDirectory.at(ca).write("ca", authority.certifiedKey(), KeyFormat.PKCS8, null, false);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Scenario scenario = ScenarioFiles.write(dir, "nowhere", """
        name: nowhere
        target: {mqtt: "mqtts://127.0.0.1:%d", ca: ca/ca.crt}
        fleet: {count: 5, issuer: ca, protocols: {mqtt3: 100}, subscribers: 0}
        phases:
          - connect: {rate: 50}
          - publish: {rate: 10, duration: 1m}
          - disconnect: {}
        """.formatted(closedPort));
    Path out = dir.resolve("out");

    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

    assertThat(result.stoppedBecause()).hasValueSatisfying(reason -> assertThat(reason).startsWith("no device connected"));
    RunReport report = ReportReader.read(out);
    assertThat(ScenarioFiles.counts(report, "mqtt3").failures()).containsEntry("connection_refused", 5L);
    assertThat(report.totals().sent()).isZero();
  }

  /**
   * Runs the engine, stops it once its stage matches {@code issuing}, and requires the run to end
   * within 15 s of the stop: 2,000 RSA keys take minutes on two cores, and the stop must not wait.
   */
  private static RunResult stopWhileIssuing(RunEngine engine, String issuing, String reason) throws InterruptedException {
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(engine::run);
    awaitStage(engine, issuing);
    long stop = System.nanoTime();
    assertThat(engine.stopAndAwait(reason, Duration.ofSeconds(60))).isTrue();
    RunResult result = run.join();
    assertThat(Duration.ofNanos(System.nanoTime() - stop)).isLessThan(Duration.ofSeconds(15)); // was the whole issuing
    return result;
  }

  /** Waits up to 30 s for the engine's stage to match {@code regex}, and fails if it never does. */
  private static void awaitStage(RunEngine engine, String regex) throws InterruptedException {
    String stage = engine.stage();
    for (int i = 0; i < 300 && !stage.matches(regex); i++) {
      Thread.sleep(100);
      stage = engine.stage();
    }
    assertThat(stage).matches(regex);
  }
}
