package io.thingstorm.loadgen.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One second of a run, as {@link RunRecorder#tick()} saw it. Rates are per second over the interval
 * since the previous tick; latencies are in milliseconds, NaN where nothing was measured.
 *
 * @param second whole seconds since the run started, the x of every plot over time
 * @param errors failures by class in this interval (counts, not rates)
 * @param warmUpPerSecond warm-up messages that ended (acknowledged or failed) per second; they are in
 *     no other figure
 * @param warmUpConnectsPerSecond connects per second of the connect warm-up, against the generator's
 *     own server before the first connect phase; they are in no other figure
 * @param generatorCpuPercent the generator JVM's CPU in this interval as a share of all its cores (0 to
 *     100), NaN if unknown; in a merged report, the busiest shard's
 */
public record TimelinePoint(
    int second,
    long connected,
    double handshakesPerSecond,
    double sentPerSecond,
    double acknowledgedPerSecond,
    double receivedPerSecond,
    double publishP50Ms,
    double publishP99Ms,
    Map<String, Long> errors,
    double lagP99Ms,
    double warmUpPerSecond,
    double warmUpConnectsPerSecond,
    double generatorCpuPercent) {

  public TimelinePoint {
    errors = Collections.unmodifiableSortedMap(new TreeMap<>(errors)); // in class order, for every reader
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
