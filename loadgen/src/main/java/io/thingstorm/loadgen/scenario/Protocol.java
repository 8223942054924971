package io.thingstorm.loadgen.scenario;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a simulated device talks to the platform, named as in scenario files. */
public enum Protocol {
  MQTT3("mqtt3"),
  MQTT5("mqtt5"),
  HTTPS("https"),
  WSS("wss");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isMqtt() {
    return this == MQTT3 || this == MQTT5;
  }

  /** The protocol named {@code label}, or null. */
  static Protocol byLabel(String label) {
    for (Protocol p : values()) {
      if (p.label.equals(label)) return p;
    }
    return null;
  }

  static String labels() {
    return Arrays.stream(values()).map(Protocol::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
