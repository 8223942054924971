package io.thingstorm.client;

/** Which MQTT client library carries a device's MQTT connection. */
public enum MqttEngine {
  /**
   * Eclipse Paho (v3 and v5): the reference client, blocking, three loops per connection on virtual
   * threads. Every packet is written and parsed on its own.
   */
  PAHO,
  /**
   * HiveMQ's MQTT client on Netty: asynchronous, packets written in batches and parsed in bulk, a
   * few event-loop threads for every connection. Two to five times Paho's messages per second.
   */
  HIVEMQ;

  /** Its name in scenario files and on the command line. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
