package io.thingstorm.loadgen.metrics;

import java.util.Locale;

/**
 * What a latency was measured for. Values are recorded in microseconds, from 1 µs to one hour, to 3
 * significant digits.
 */
public enum Metric {
  /** TCP connect: SYN to established. */
  TCP_CONNECT("tcp"),
  /** TLS handshake, full or resumed. */
  TLS_HANDSHAKE("handshake"),
  /** The protocol's own session set-up: MQTT CONNACK, HTTP first byte, WebSocket upgrade. */
  SESSION("session"),
  /** The whole connect: TCP, TLS and session. */
  CONNECT("connect"),
  /**
   * Due time to PUBACK/PUBCOMP, HTTP 2xx or WebSocket send. Taken from when the message was due,
   * not when it was sent, so a slow platform cannot hide behind a slow generator (coordinated omission).
   */
  PUBLISH("publish"),
  /** Publish to arrival at a subscriber on the platform. */
  END_TO_END("e2e"),
  /** The generator's own lag behind schedule: start time minus due time. */
  LAG("lag");

  private final String key;

  Metric(String key) {
    this.key = key;
  }

  /** The short name used in threshold keys ({@code publish.latency.p99}), file names and report.json. */
  public String key() {
    return key;
  }

  public static Metric ofKey(String key) {
    for (Metric m : values()) {
      if (m.key.equals(key)) return m;
    }
    throw new IllegalArgumentException("no metric '" + key + "'; known: tcp, handshake, session, connect, publish, e2e, lag");
  }

  @Override
  public String toString() {
    return key.toLowerCase(Locale.ROOT);
  }
}
