package io.thingstorm.loadgen.metrics;

/**
 * What the generator's own JVM used over a run. A generator short of CPU reports its own limit as the
 * platform's, so the report carries these beside the platform's figures.
 *
 * @param cores the cores this JVM could use
 * @param cpuSeconds the JVM's CPU time over the run, every thread (JIT and GC too); NaN if unknown
 * @param cpuPercentMax the busiest second's CPU in the phases, as a share of all {@code cores} (0 to 100); NaN
 *     if unknown
 * @param heapUsedMaxBytes the most heap in use at a once-a-second sample, garbage not yet collected included
 * @param rssMaxBytes the most resident memory at a sample; -1 where the OS does not tell (not Linux)
 * @param threadsMax the most platform threads alive at a sample (virtual threads are not counted)
 * @param connectCpuSeconds CPU time inside the connect phases
 * @param connects connects started inside the connect phases
 * @param publishCpuSeconds CPU time inside the publish phases (warm-up phases not included)
 * @param messages messages started inside the publish phases
 */
public record GeneratorUse(
    int cores,
    double cpuSeconds,
    double cpuPercentMax,
    long heapUsedMaxBytes,
    long rssMaxBytes,
    int threadsMax,
    double connectCpuSeconds,
    long connects,
    double publishCpuSeconds,
    long messages) {

  /** At or above this share of its cores in some second, the generator may have set the pace. */
  public static final double BUSY_PERCENT = 90;

  /** The larger of two CPU shares, either of which may be NaN (not measured). */
  public static double busier(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  /** JVM CPU milliseconds per connect in the connect phases; NaN when none was made or CPU is unknown. */
  public double cpuMsPerConnect() {
    return connects == 0 ? Double.NaN : connectCpuSeconds * 1000 / connects;
  }

  /** JVM CPU microseconds per message in the publish phases; NaN when none was sent or CPU is unknown. */
  public double cpuMicrosPerMessage() {
    return messages == 0 ? Double.NaN : publishCpuSeconds * 1_000_000 / messages;
  }
}
