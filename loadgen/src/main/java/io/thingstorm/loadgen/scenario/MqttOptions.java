package io.thingstorm.loadgen.scenario;

import java.time.Duration;

/**
 * MQTT settings of the fleet's MQTT devices and subscribers.
 *
 * @param qos 0, 1 or 2, for publishing and subscribing
 * @param keepAlive the keep-alive interval sent in CONNECT; zero turns it off
 * @param cleanSession clean session (3.1.1) or clean start with no session expiry (5)
 * @param retained publish with the retain flag
 */
public record MqttOptions(int qos, Duration keepAlive, boolean cleanSession, boolean retained) {
  public static final MqttOptions DEFAULT = new MqttOptions(1, Duration.ofSeconds(30), true, false);
}
