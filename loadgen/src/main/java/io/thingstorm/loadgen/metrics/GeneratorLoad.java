package io.thingstorm.loadgen.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples the generator's own JVM once a second: CPU time, heap, platform threads and resident memory;
 * and adds up the CPU its connect and publish phases took, per connect and per message.
 */
public final class GeneratorLoad {
  private static final Path STATUS = Path.of("/proc/self/status");

  private final com.sun.management.OperatingSystemMXBean os = operatingSystem();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final long startCpuNanos;
  private long lastCpuNanos;
  private long lastNanos;
  private double cpuPercentMax = Double.NaN;
  private boolean inPhases;
  private long heapUsedMax;
  private long rssMax = -1;
  private int threadsMax;
  private long connectCpuNanos;
  private long connects;
  private long publishCpuNanos;
  private long messages;

  public GeneratorLoad() {
    startCpuNanos = cpuNanos();
    lastCpuNanos = startCpuNanos;
    lastNanos = System.nanoTime();
  }

  /** The JVM's CPU time so far, every thread; -1 when this JVM cannot tell. */
  public long cpuNanos() {
    return os == null ? -1 : os.getProcessCpuTime();
  }

  /**
   * Takes a sample: keeps the peaks, and returns the CPU used since the last sample as a share of all
   * cores, 0 to 100 (NaN when unknown).
   */
  public synchronized double sample() {
    long now = System.nanoTime();
    long cpu = cpuNanos();
    double percent = Double.NaN;
    if (cpu >= 0 && now > lastNanos) {
      percent = Math.min(100, (cpu - lastCpuNanos) * 100.0 / ((now - lastNanos) * (double) cores));
      if (inPhases) cpuPercentMax = GeneratorUse.busier(cpuPercentMax, percent);
    }
    lastCpuNanos = cpu;
    lastNanos = now;
    heapUsedMax = Math.max(heapUsedMax, memory.getHeapMemoryUsage().getUsed());
    threadsMax = Math.max(threadsMax, threads.getThreadCount());
    rssMax = Math.max(rssMax, residentBytes());
    return percent;
  }

  /**
   * The phases begin: the busiest second is looked for from here on. Set-up (issuing identities,
   * starting a testbed) and the connect warm-up load the CPU on purpose, and set no one's pace.
   */
  public synchronized void phasesBegin() {
    inPhases = true;
  }

  /** A connect phase took {@code cpuNanos} of CPU (a difference of {@link #cpuNanos()}) for {@code started} connects. */
  public synchronized void connectPhase(long cpuNanos, long started) {
    connectCpuNanos += cpuNanos;
    connects += started;
  }

  /** A publish phase took {@code cpuNanos} of CPU for {@code started} messages. */
  public synchronized void publishPhase(long cpuNanos, long started) {
    publishCpuNanos += cpuNanos;
    messages += started;
  }

  /** Everything so far. */
  public synchronized GeneratorUse use() {
    boolean known = startCpuNanos >= 0;
    return new GeneratorUse(cores, known ? (cpuNanos() - startCpuNanos) / 1e9 : Double.NaN, cpuPercentMax,
        heapUsedMax, rssMax, threadsMax, known ? connectCpuNanos / 1e9 : Double.NaN, connects,
        known ? publishCpuNanos / 1e9 : Double.NaN, messages);
  }

  /** VmRSS from /proc (Linux); -1 elsewhere. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (IOException | RuntimeException notLinux) {
      // no /proc: resident memory is not reported
    }
    return -1;
  }

  private static com.sun.management.OperatingSystemMXBean operatingSystem() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os : null;
  }
}
