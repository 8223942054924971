package io.thingstorm.loadgen.run;

import io.thingstorm.client.Backoff;
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
 * @param inFlightPerDevice MQTT publishes one device has unacknowledged at most (fewer when an MQTT 5
 *     broker's Receive Maximum says so); HTTPS and WSS devices keep at most 8 requests under way
 * @param reconnect the waits between attempts to connect again after a connection was lost (with
 *     jitter, so that a fleet that lost its broker does not come back at once); null: stay offline
 */
public record DeviceOptions(int qos, int keepAliveSeconds, boolean cleanStart, Duration connectTimeout,
    Duration ackTimeout, boolean retained, int inFlightPerDevice, Backoff reconnect) {
  public static DeviceOptions defaults() {
    return new DeviceOptions(1, 60, true, Duration.ofSeconds(10), Duration.ofSeconds(10), false, 64, Backoff.standard());
  }

  /** These options with another reconnect backoff (null: no reconnects). */
  public DeviceOptions withReconnect(Backoff backoff) {
    return new DeviceOptions(qos, keepAliveSeconds, cleanStart, connectTimeout, ackTimeout, retained, inFlightPerDevice, backoff);
  }
}
