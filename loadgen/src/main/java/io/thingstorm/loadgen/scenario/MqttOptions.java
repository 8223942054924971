package io.thingstorm.loadgen.scenario;

import io.thingstorm.client.MqttEngine;
import java.time.Duration;

/**
 * MQTT settings of the fleet's MQTT devices and subscribers.
 *
 * @param qos 0, 1 or 2, for publishing and subscribing
 * @param keepAlive the keep-alive interval sent in CONNECT; zero turns it off
 * @param cleanSession clean session (3.1.1) or clean start with no session expiry (5)
 * @param retained publish with the retain flag
 * @param client the MQTT client library: Paho (connects timed step by step, TLS sessions resumed on
 *     reconnect) or HiveMQ's (two to five times the messages per second)
 */
public record MqttOptions(int qos, Duration keepAlive, boolean cleanSession, boolean retained, MqttEngine client) {
  public static final MqttOptions DEFAULT = new MqttOptions(1, Duration.ofSeconds(30), true, false, MqttEngine.PAHO);
}
