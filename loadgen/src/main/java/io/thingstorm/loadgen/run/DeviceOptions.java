package io.thingstorm.loadgen.run;

import java.time.Duration;

/**
 * How every simulated device of a run behaves on the wire.
 *
 * @param qos MQTT QoS of publishes and subscriptions
 * @param keepAliveSeconds MQTT keep-alive
 * @param cleanStart MQTT clean session / clean start
 * @param connectTimeout how long a connect may take before it counts as timed out
 * @param ackTimeout how long a publish waits for its acknowledgement before it counts as failed
 * @param retained MQTT retain flag
 * @param inFlightPerDevice publishes one device has outstanding at most (Paho refuses more than 10)
 */
public record DeviceOptions(int qos, int keepAliveSeconds, boolean cleanStart, Duration connectTimeout,
    Duration ackTimeout, boolean retained, int inFlightPerDevice) {
  public static DeviceOptions defaults() {
    return new DeviceOptions(1, 60, true, Duration.ofSeconds(10), Duration.ofSeconds(10), false, 8);
  }
}
