package io.thingstorm.cli;

import io.thingstorm.loadgen.metrics.LiveProgress;
import io.thingstorm.loadgen.report.ReportWriter;
import io.thingstorm.loadgen.report.TextSummary;
import io.thingstorm.loadgen.report.Verdict;
import io.thingstorm.loadgen.run.RunEngine;
import io.thingstorm.loadgen.run.RunResult;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.loadgen.scenario.ScenarioException;
import io.thingstorm.loadgen.scenario.ScenarioOverride;
import io.thingstorm.loadgen.scenario.ScenarioPlan;
import io.thingstorm.loadgen.scenario.Shard;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thingstorm run SCENARIO}: a load test, with live progress, a report folder and an exit code for CI. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Run a load test scenario: issue the fleet's identities, connect the devices over MQTT 3.1.1/5, HTTPS and "
          + "WSS with mutual TLS, publish SenML, and write a report (summary.txt, report.json, report.html, *.hlog).",
      "An 'embedded' target starts the testbed in this process: nothing to install.",
      "Exit codes: 0 done, 3 a threshold was missed, 2 a bad scenario or option, 1 a failure."
    })
final class RunCommand implements Callable<Integer> {
  static final int THRESHOLD_MISSED = 3;
  private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", description = "the scenario file (YAML), e.g. scenarios/quickstart.yaml")
  Path scenarioFile;

  @Option(names = "--out", paramLabel = "DIR", description = "report folder (default: runs/<scenario>-<yyyyMMdd-HHmmss>/)")
  Path out;

  @Option(names = "--shard", paramLabel = "i/N",
      description = "run the i-th of N slices of the fleet with 1/N of every rate (default: JOB_COMPLETION_INDEX/JOB_COMPLETIONS if set, else the whole)")
  String shard;

  @Option(names = "--quiet", description = "no live progress line; the summary is still printed")
  boolean quiet;

  @Option(names = "--check",
      description = "check the scenario and print what it would do (fleet, target, phases, thresholds), then exit: nothing connects")
  boolean check;

  @Option(names = "--ca-password", paramLabel = "PASSWORD",
      description = "for an encrypted CA key in fleet.issuer (or fleet.identities with an embedded target); or set THINGSTORM_CA_PASSWORD, or be asked in a terminal")
  String caPassword;

  @Option(names = "--set", paramLabel = "FIELD=VALUE",
      description = "set a field of the scenario over the file's, e.g. --set target.mqtt=mqtts://host:8883 or "
          + "--set phases[1].publish.rate=500 (the value is YAML; empty un-sets the field); repeatable, applied in order")
  List<String> sets = new ArrayList<>();

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "serve the live figures for Prometheus at http://<this host>:PORT/metrics while the run goes on")
  Integer metricsPort;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Scenario scenario;
    Shard slice;
    try {
      List<ScenarioOverride> overrides = new ArrayList<>();
      for (String set : sets) overrides.add(ScenarioOverride.parse(set));
      scenario = Scenario.load(scenarioFile, overrides);
    } catch (ScenarioException e) {
      throw new UsageError(e.getMessage());
    }
    try {
      slice = Shard.resolve(shard, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) throw new UsageError("--metrics-port: not a port: " + metricsPort);
    Scenario share = scenario.forShard(slice);
    if (share.fleet().size() == 0) {
      throw new UsageError("shard " + slice + " has no devices: the fleet has " + scenario.fleet().size()
          + ", so at most " + scenario.fleet().size() + " shards");
    }
    if (check) {
      ScenarioPlan.lines(share).forEach(out::println);
      out.flush();
      return 0;
    }
    if (!scenario.target().tls().hostnameVerification()) {
      InsecureWarning.print(spec.commandLine().getErr(), "tls.hostnameVerification: false in " + scenarioFile);
    }
    Path dir = this.out != null ? this.out : newRunFolder(scenario.name());
    try {
      ReportWriter.requireNewFolder(dir); // before the run: what it measures must have somewhere to go
    } catch (ReportWriter.FolderTaken | ReportWriter.FolderUnwritable e) {
      throw new UsageError("--out: " + e.getMessage());
    }
    LiveProgress live = quiet ? null : LiveProgress.to(new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8),
        slice.share(scenario.fleet().count()));
    RunEngine engine = RunEngine.builder().scenario(scenario).shard(slice).out(dir)
        .caPasswords(KeyPasswords.forCaKey(caPassword))
        .progress(live == null ? null : live::show).metricsPort(metricsPort).build();
    if (live != null) live.stageFrom(engine::stage);

    out.printf("thingstorm run %s%s: %d devices, report in %s%n", scenario.name(),
        slice.isWhole() ? "" : " (shard " + slice + ")", slice.share(scenario.fleet().count()), dir);
    if (metricsPort != null) out.printf("metrics for Prometheus at http://localhost:%d/metrics%n", metricsPort);
    out.flush();
    // Ctrl-C or SIGTERM: stop the phase under way, disconnect, and still write the report.
    // The JVM exits when the hook returns: it waits for the report, then for the summary to be printed.
    CountDownLatch printed = new CountDownLatch(1);
    StopSignal.watch(); // a shutdown hook cannot tell which signal came: the note should
    Thread onInterrupt = new Thread(() -> {
      if (!engine.stopAndAwait(StopSignal.reason(), Duration.ofSeconds(60))) {
        System.err.println("thingstorm: the run did not stop within 60 s; the report may be incomplete in " + dir);
        return;
      }
      try {
        printed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "thingstorm-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    RunResult result;
    try {
      result = engine.run();
    } finally {
      if (live != null) live.done();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for this run to finish
      }
    }

    out.println();
    out.print(TextSummary.render(result.report()));
    out.println();
    out.println("report: " + dir.resolve(ReportWriter.HTML) + " (also " + ReportWriter.SUMMARY + ", " + ReportWriter.JSON + ", *.hlog)");
    out.flush();
    printed.countDown();
    if (result.stoppedBecause().isPresent()) {
      throw new IllegalStateException("the run stopped early: " + result.stoppedBecause().get() + "; the report of what ran is in " + dir);
    }
    if (!result.thresholdsMet()) {
      PrintWriter err = spec.commandLine().getErr();
      for (Verdict missed : result.missedThresholds()) {
        err.printf(Locale.ROOT, "thingstorm: threshold missed: %s (was %s)%n", missed.threshold(), shown(missed.actual()));
      }
      err.flush();
      return THRESHOLD_MISSED;
    }
    return 0;
  }

  static String shown(double value) {
    if (Double.isNaN(value)) return "not measured";
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value);
  }

  /** runs/<name>-<time>/, with -2, -3... when two runs start in the same second. */
  private static Path newRunFolder(String scenarioName) {
    String base = scenarioName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + LocalDateTime.now().format(RUN_NAME);
    Path dir = Path.of("runs", base);
    for (int n = 2; Files.exists(dir); n++) dir = Path.of("runs", base + "-" + n);
    return dir;
  }

  /** LiveProgress writes to a PrintStream; the command line's output is a PrintWriter (tests capture it). */
  private static final class WriterStream extends OutputStream {
    private final PrintWriter writer;

    WriterStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      writer.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
      writer.flush();
    }
  }
}
