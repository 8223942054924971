package io.thingstorm.loadgen.scenario;

/**
 * A threshold checked against a run.
 *
 * @param threshold the threshold as written, e.g. {@code p99 publish latency < 250 ms}
 * @param key the figure it was checked on, e.g. {@code publish.latency.p99}
 * @param passed whether the run met it; false when the run has no such figure
 * @param actual the run's figure, in the threshold's key unit (ms, %, per second, devices); NaN when missing
 */
public record Verdict(String threshold, String key, boolean passed, double actual) {}
