package io.thingstorm.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The generator's own use, read from this very JVM while a thread of the test burns CPU. */
class GeneratorLoadTest {

  @Test
  void cpuSpentInAPhaseIsCountedPerConnectAndShowsInTheSecondsShare() {
    GeneratorLoad load = new GeneratorLoad();
    load.phasesBegin();
    long before = load.cpuNanos();

    burnCpu(200);
    double percent = load.sample();
    long spent = load.cpuNanos() - before;
    load.connectPhase(spent, 100);

    GeneratorUse use = load.use();
    assertThat(spent).isGreaterThanOrEqualTo(200_000_000L);
    assertThat(percent).isGreaterThan(0).isLessThanOrEqualTo(100);
    assertThat(use.cpuPercentMax()).isEqualTo(percent);
    assertThat(use.cpuSeconds()).isGreaterThanOrEqualTo(0.2);
    assertThat(use.cpuMsPerConnect()).isEqualTo(spent / 1e6 / 100);
    assertThat(use.cpuMicrosPerMessage()).isNaN(); // no publish phase
    assertThat(use.heapUsedMaxBytes()).isPositive();
    assertThat(use.threadsMax()).isGreaterThanOrEqualTo(Thread.activeCount());
    assertThat(use.rssMaxBytes()).isGreaterThan(use.heapUsedMaxBytes() / 4); // Linux: read from /proc
  }

  @Test
  void setUpBeforeThePhasesIsNotTheBusiestSecond() {
    GeneratorLoad load = new GeneratorLoad();

    burnCpu(100); // issuing identities, the connect warm-up: busy on purpose
    double percent = load.sample();

    assertThat(percent).isPositive(); // shown on the timeline
    assertThat(load.use().cpuPercentMax()).isNaN(); // but sets no one's pace
  }

  /** Spins until this thread has used {@code millis} of CPU. */
  private static void burnCpu(long millis) {
    var threads = ManagementFactory.getThreadMXBean();
    long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < until) {
      for (int i = 0; i < 10_000; i++) x += i * 31L ^ x;
    }
    if (x == 42) System.out.print(""); // keeps the loop from being optimised away
  }
}
