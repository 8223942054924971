package io.thingstorm.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Each benchmark runs for one short iteration, in this JVM, with its smallest params, and must give
 * a score: a benchmark that no longer sets up (a renamed API, a check in setup that fails) fails
 * here. No timing is asserted: this machine is shared and the run is far too short to mean anything.
 */
class BenchmarkSmokeTest {
  @BeforeAll
  static void shareOneTestbed() {
    System.setProperty(LoopbackTestbed.KEEP_PROPERTY, "true"); // every trial runs in this JVM
  }

  private static Collection<RunResult> run(Class<?> benchmark, String... params) throws RunnerException {
    String methods = "";
    if (params.length % 2 == 1) { // a first odd argument narrows the methods
      methods = params[0];
      params = java.util.Arrays.copyOfRange(params, 1, params.length);
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + benchmark.getName().replace(".", "\\.") + "\\." + methods)
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(150))
        .timeout(TimeValue.seconds(60))
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    for (int i = 0; i < params.length; i += 2) options.param(params[i], params[i + 1].split(","));
    Collection<RunResult> results;
    try {
      results = new Runner(options.build()).run();
    } catch (RunnerException e) {
      // Silent JMH keeps the benchmark's own exception (a setup check) among the suppressed ones.
      throw new AssertionError(benchmark.getSimpleName() + " failed: " + benchmarkFailures(e), e);
    }
    assertThat(results).as(benchmark.getSimpleName() + " results").isNotEmpty();
    for (RunResult result : results) {
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().getBenchmark() + " " + result.getParams())
          .isPositive();
    }
    return results;
  }

  private static String benchmarkFailures(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (Throwable s : t.getSuppressed()) messages.add(String.valueOf(s));
    }
    return messages.isEmpty() ? String.valueOf(failure) : String.join("; ", messages);
  }

  @Test
  void handshakeIsMutualAndResumes() throws RunnerException {
    // Setup checks that the server sees the thing's certificate (CN = thing key) when mutual, none
    // when server-only, and that "resumed" resumes: each of these would fail the run.
    Collection<RunResult> results = run(HandshakeBenchmark.class,
        "keyType", "ec-p256", "tls", "TLSv1.3,TLSv1.2", "provider", "JDK,CONSCRYPT",
        "session", "full,resumed", "auth", "mutual,server-only");
    assertThat(results).hasSize(16);
    for (RunResult result : results) {
      assertThat(result.getSecondaryResults()).containsKeys("clientNanos", "serverNanos", "handshakes");
      assertThat(result.getSecondaryResults().get("clientNanos").getScore()).isPositive();
      assertThat(result.getSecondaryResults().get("serverNanos").getScore()).isPositive();
    }
  }

  @Test
  void socketHandshakeIsMutualAndResumesWithClientCpu() throws RunnerException {
    // Setup checks that the in-process server sees the thing's certificate and that "resumed" resumes.
    List<RunResult> results = new ArrayList<>(run(SocketHandshakeBenchmark.class,
        "provider", "JDK,CONSCRYPT", "session", "full,resumed", "chains", "remembered", "groups", "default"));
    results.addAll(run(SocketHandshakeBenchmark.class, "provider", "JDK", "session", "full", "chains", "checked", "groups", "x25519"));
    assertThat(results).hasSize(5);
    for (RunResult result : results) {
      assertThat(result.getSecondaryResults()).containsKeys("clientCpuNanos", "clientUserNanos", "handshakes");
      assertThat(result.getSecondaryResults().get("clientCpuNanos").getScore()).isPositive();
    }
  }

  @Test
  void cryptoLimit() throws RunnerException {
    // Conscrypt has no X25519 (nor Ed25519) through the JCA: its ECDHE is P-256 only.
    assertThat(run(CryptoLimitBenchmark.class,
        "group", "X25519,P-256", "kexProvider", "JDK,BC",
        "keyType", "ec-p256,rsa-2048", "provider", "JDK,BC,CONSCRYPT")).hasSize(4 + 2 * 6);
    assertThat(run(CryptoLimitBenchmark.class, ".*ecdhe", "group", "P-256", "kexProvider", "CONSCRYPT")).hasSize(1);
    // The key shares the JDK's TLS takes under tls.keyShares: auto, both groups.
    assertThat(run(CryptoLimitBenchmark.class, ".*ecdhe", "group", "X25519,P-256", "kexProvider", "KEYSHARES")).hasSize(2);
  }

  @Test
  void identityLoadInEveryFormat() throws RunnerException {
    assertThat(run(IdentityLoadBenchmark.class,
        "key", "ec-p256/sec1,ec-p256/pkcs8,ec-p256/pkcs8-encrypted,rsa-2048/pkcs1,ed25519/pkcs8",
        "contextProvider", "JDK")).hasSize(2 * 5);
  }

  @Test
  void issue() throws RunnerException {
    assertThat(run(IssueBenchmark.class, "keyType", "ec-p256")).hasSize(1);
  }

  @Test
  void senmlCodecReportsBytesPerPack() throws RunnerException {
    Collection<RunResult> results = run(SenmlCodecBenchmark.class, "records", "10", "format", "JSON,CBOR");
    assertThat(results).hasSize(3 * 2);
    results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".encode")).forEach(r ->
        assertThat(r.getSecondaryResults().get("packBytes").getScore()).isPositive());
  }

  @Test
  void messageRenderWholeAndBound() throws RunnerException {
    assertThat(run(MessageRenderBenchmark.class, "format", "JSON,CBOR")).hasSize(4);
  }

  @Test
  void publishOverEveryTransport() throws RunnerException {
    // Setup checks that the testbed counted the device's first message under its certificate.
    assertThat(run(PublishBenchmark.class,
        "transport", "mqtt3-qos0,mqtt3-qos1,mqtt5-qos0,mqtt5-qos1,https,wss")).hasSize(6);
  }

}
