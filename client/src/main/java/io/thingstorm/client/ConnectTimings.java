package io.thingstorm.client;

import java.time.Duration;

/**
 * When the steps of one connect ended, as {@link System#nanoTime()} instants: the TCP connect began
 * and was established, the TLS handshake was done, and the protocol's session was open (MQTT: CONNACK
 * received). Each is at or after the one before.
 */
public record ConnectTimings(long tcpStarted, long tcpConnected, long handshakeDone, long sessionOpen) {
  public ConnectTimings {
    if (tcpConnected < tcpStarted || handshakeDone < tcpConnected || sessionOpen < handshakeDone) {
      throw new IllegalArgumentException("connect steps out of order: " + tcpStarted + ", " + tcpConnected + ", "
          + handshakeDone + ", " + sessionOpen);
    }
  }

  /** SYN to established. */
  public Duration tcp() {
    return Duration.ofNanos(tcpConnected - tcpStarted);
  }

  /** Established to the end of the TLS handshake. */
  public Duration handshake() {
    return Duration.ofNanos(handshakeDone - tcpConnected);
  }

  /** End of the handshake to the open session (MQTT: CONNECT sent and CONNACK received). */
  public Duration session() {
    return Duration.ofNanos(sessionOpen - handshakeDone);
  }

  /** The whole connect: TCP, TLS and session. */
  public Duration total() {
    return Duration.ofNanos(sessionOpen - tcpStarted);
  }
}
