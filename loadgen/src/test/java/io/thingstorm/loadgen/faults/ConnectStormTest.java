package io.thingstorm.loadgen.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.testing.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many devices connect at once with no ramp, in a child JVM with a fixed heap: the generator
 * finishes (no deadlock: the child has a time limit), does not run out of memory (it would exit
 * with an error), and every device is either connected or counted under a failure class. The
 * 10,000-device run is a measurement (README, "Under faults"); here 300.
 */
class ConnectStormTest {
  static final int DEVICES = 300;

  @TempDir Path dir;

  @Test
  void devicesAtOnce_finishInAFixedHeap_andEveryOneIsAccountedFor() {
    Path out = dir.resolve("out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ExternalCommand.Result run = ExternalCommand.run(List.of(java, "-Xmx192m", "-XX:+ExitOnOutOfMemoryError",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        ConnectStorm.class.getName(), String.valueOf(DEVICES), out.toString()), null, Duration.ofSeconds(120));

    assertThat(run.exitCode()).as(run.output()).isZero();
    String line = run.stdout().lines().filter(l -> l.startsWith(ConnectStorm.RESULT)).findFirst().orElseThrow(() -> new AssertionError(run.output()));
    System.out.println(line);
    RunReport report = ReportReader.read(out);
    ProtocolCounts all = report.totals();
    assertThat(report.histogram(Metric.CONNECT, null).getTotalCount() + all.failureCount()).isEqualTo(DEVICES);
    assertThat(all.failures()).doesNotContainKey("unknown");
    assertThat(report.connectedMax()).isPositive();
  }
}
