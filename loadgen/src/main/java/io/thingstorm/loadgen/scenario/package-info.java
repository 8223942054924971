/**
 * Scenario files: YAML read into typed records and checked before a run starts.
 *
 * <p>{@link io.thingstorm.loadgen.scenario.Scenario#load(java.nio.file.Path)} reads a file, or throws
 * a {@link io.thingstorm.loadgen.scenario.ScenarioException} whose message is one line naming the
 * file, the line and the field. An engine then takes {@link io.thingstorm.loadgen.scenario.Scenario#forShard}
 * for its shard, and runs the sealed {@link io.thingstorm.loadgen.scenario.Phase}s in order: each
 * phase's {@link io.thingstorm.loadgen.scenario.RateSchedule} says when its n-th event is due (open
 * model), and {@link io.thingstorm.loadgen.scenario.PayloadTemplate#render} makes each message.
 * {@link io.thingstorm.loadgen.scenario.Threshold#evaluate} checks the run's figures by key.
 */
package io.thingstorm.loadgen.scenario;
