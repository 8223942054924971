package io.thingstorm.testbed;

import java.util.Locale;

/** Whose rules the testbed enforces. */
public enum Profile {
  /**
   * Mainflux: the MQTT user name is the thing id, the password the thing key (= cert CN); things
   * publish and subscribe on {@code channels/<id>/messages[/...]} of the channels they are connected to.
   */
  MAINFLUX,
  /**
   * Cybus Connectware: the cert CN is the user name (no password needed), TLS 1.2 only, per-user topic
   * permissions.
   */
  CYBUS;

  public static Profile parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TestbedException("unknown profile '" + name + "' (mainflux or cybus)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
