package io.thingstorm.loadgen.faults;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.run.RunEngine;
import io.thingstorm.loadgen.run.RunResult;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a test by itself: N MQTT devices connect at once (no ramp) to a mosquitto of their own (a
 * separate process: its own open-file limit, {@code max_connections -1}), hold 2 s and disconnect.
 * Prints one line: how many connected, how many could not and why (by class), and the peak heap.
 * {@link ConnectStormTest} runs it in a child JVM with a fixed -Xmx.
 *
 * <pre>java -Xmx1g -cp ... io.thingstorm.loadgen.faults.ConnectStorm 10000 /tmp/storm [auto|jdk|conscrypt]</pre>
 */
public final class ConnectStorm {
  public static final String RESULT = "connect storm:";

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    String provider = args.length > 2 ? args[2] : "auto";
    Path dir = Files.createTempDirectory("thingstorm-storm");
    TestPki pki = TestPki.create(dir);
    long started = System.nanoTime();
    try (Mosquitto broker = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey())
        .globalLine("max_connections -1").start()) {
      String limit = Files.readAllLines(Path.of("/proc/" + broker.pid() + "/limits")).stream()
          .filter(l -> l.startsWith("Max open files")).findFirst().orElse("?").replaceAll("\\s+", " ");
      Path file = dir.resolve("storm.yaml");
      Files.writeString(file, """
          name: connect-storm
          target:
            mqtt: mqtts://localhost:%d
            ca: %s
            tls: {provider: %s}
          fleet:
            count: %d
            issuer: %s
            protocols: {mqtt3: 100}
            subscribers: 0
          phases:
            - connect: {rate: 1000000}    # all due within 10 ms: at once
            - hold: 2s
            - disconnect: {}
          """.formatted(broker.tlsPort, pki.caFile(), provider, devices, pki.dir));
      RunResult result = RunEngine.builder().scenario(Scenario.load(file)).out(out).build().run();
      RunReport report = ReportReader.read(out);
      ProtocolCounts all = report.totals();
      var connect = report.histogram(Metric.CONNECT, null);
      System.out.printf(Locale.ROOT, "%s %d devices at once (TLS by %s): %d connected (max at a time %d), %d could not %s, "
              + "connect p50 %.0f ms p99 %.0f ms max %.0f ms, stopped early: %s, whole run %.1f s, heap pools peak sum %d MB, -Xmx %d MB, "
              + "mosquitto %s%n",
          RESULT, devices, provider, connect.getTotalCount(), report.connectedMax(), all.failureCount(), all.failures(),
          connect.getValueAtPercentile(50) / 1000.0, connect.getValueAtPercentile(99) / 1000.0, connect.getMaxValue() / 1000.0,
          result.stoppedBecause().orElse("no"), (System.nanoTime() - started) / 1e9, peakHeapMb(),
          Runtime.getRuntime().maxMemory() >> 20, limit);
    }
    System.exit(0); // Paho's and the ticker's threads are daemons, but say it: the run is over
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
    }
    return peak >> 20;
  }
}
