package io.thingstorm.loadgen.handshake;

import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a handshake storm measured in its counted window (the warm-up excluded).
 *
 * @param target host:port
 * @param provider the JSSE provider that ran the client's TLS
 * @param versions the TLS versions offered
 * @param negotiated protocol and cipher suite of the first handshake that succeeded, or empty
 * @param concurrency workers
 * @param rate handshakes per second asked for (open model), or 0 for back to back (closed loop)
 * @param resume whether sessions were kept for resumption
 * @param window the counted window, stretched to the last counted handshake's end when handshakes
 *     due in it ended after it
 * @param succeeded handshakes that completed
 * @param resumed of those, how many the server resumed (an abbreviated handshake)
 * @param failures failed handshakes by class
 * @param latency handshake latency in microseconds: TCP connect plus TLS handshake; under a rate,
 *     from the due time (coordinated omission corrected)
 * @param workerCpuNanos CPU time of the worker threads in the window (ThreadMXBean)
 * @param processCpuNanos CPU time of the whole JVM in the window (JIT, GC and all), or -1 if unknown
 * @param maxLagMicros under a rate, how far the workers fell behind the due times at most
 */
public record HandshakeResult(
    String target,
    String provider,
    String versions,
    String negotiated,
    int concurrency,
    double rate,
    boolean resume,
    Duration window,
    long succeeded,
    long resumed,
    Map<FailureKind, Long> failures,
    Histogram latency,
    long workerCpuNanos,
    long processCpuNanos,
    long maxLagMicros) {

  public long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  public double handshakesPerSecond() {
    return succeeded / seconds();
  }

  /** Resumed handshakes as a share (0..1) of those that succeeded. */
  public double resumedShare() {
    return succeeded == 0 ? 0 : (double) resumed / succeeded;
  }

  /** The workers' CPU per handshake, failed ones included (they cost CPU too). */
  public double workerCpuMillisPerHandshake() {
    long all = succeeded + failed();
    return all == 0 ? Double.NaN : workerCpuNanos / 1e6 / all;
  }

  public double processCpuMillisPerHandshake() {
    long all = succeeded + failed();
    return all == 0 || processCpuNanos < 0 ? Double.NaN : processCpuNanos / 1e6 / all;
  }

  /** Latency at a percentile, in milliseconds. */
  public double latencyMillis(double percentile) {
    return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
  }

  private double seconds() {
    return Math.max(1e-9, window.toNanos() / 1e9);
  }
}
