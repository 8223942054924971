package io.thingstorm.testbed.counters;

/** The ways in which a message can reach the testbed. */
public enum Protocol {
  MQTT("mqtts"),
  MQTT_WSS("mqtt-wss"),
  HTTPS("https"),
  WSS("wss");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
