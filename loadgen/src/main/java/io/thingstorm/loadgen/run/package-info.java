/**
 * The run engine: a scenario's phases against a fleet of simulated devices.
 *
 * <p>{@link io.thingstorm.loadgen.run.RunEngine} sets up a {@link io.thingstorm.loadgen.run.DeviceFleet}
 * (for an {@code embedded} target, the testbed started in this JVM), runs connect, publish, hold,
 * churn and disconnect in order through {@link io.thingstorm.loadgen.run.ArrivalSchedule} (the open
 * model: each event due at its time, started on a virtual thread of its own, latency from the due
 * time, the generator's lag recorded), and writes the report. Each
 * {@link io.thingstorm.loadgen.run.SimulatedDevice} is one thing over one protocol; each
 * {@link io.thingstorm.loadgen.run.ChannelSubscriber} counts arrivals and times them end to end.
 * Failures are counted by class ({@link io.thingstorm.loadgen.run.FailureClass}), never thrown.
 *
 * <pre>{@code
 * RunResult result = RunEngine.builder()
 *     .scenario(Scenario.load(Path.of("scenarios/quickstart.yaml")))
 *     .shard(Shard.WHOLE)
 *     .out(Path.of("runs/quickstart"))
 *     .progress(LiveProgress.to(System.out, 200)::show)
 *     .build()
 *     .run();                       // stop(reason) from another thread ends it early, report still written
 * result.thresholdsMet();
 * result.platformCounts();          // what the embedded testbed itself received
 * }</pre>
 */
package io.thingstorm.loadgen.run;
