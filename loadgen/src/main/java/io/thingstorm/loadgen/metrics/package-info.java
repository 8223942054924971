/**
 * What a run measures, recorded from many virtual threads without locks: {@link
 * io.thingstorm.loadgen.metrics.RunRecorder} (latencies per {@link io.thingstorm.loadgen.metrics.Metric}
 * and protocol in HdrHistogram recorders, counters, a tick a second into interval logs and a timeline),
 * and {@link io.thingstorm.loadgen.metrics.LiveProgress}, the line a second on the terminal.
 *
 * <pre>{@code
 * RunRecorder recorder = RunRecorder.start(outDir);
 * LiveProgress progress = LiveProgress.to(System.out, fleetSize);
 * try (AutoCloseable ticking = recorder.tickEverySecond(progress::show)) {
 *   // devices, from any thread:
 *   recorder.record(Metric.PUBLISH, "mqtt3", System.nanoTime() - dueNanos);
 *   recorder.sent("mqtt3", payload.length);
 *   recorder.acknowledged("mqtt3");
 * }
 * progress.done();
 * Measurements measured = recorder.finish();
 * }</pre>
 */
package io.thingstorm.loadgen.metrics;
