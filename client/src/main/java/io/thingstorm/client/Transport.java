package io.thingstorm.client;

import java.util.concurrent.CompletableFuture;

/**
 * One protocol's way to reach the platform. Each method blocks until the protocol acknowledged it
 * and throws a {@link DeviceException} that says which {@link FailureKind} went wrong.
 *
 * <p>Acknowledgement: MQTT QoS 0 returns once the packet is written, QoS 1 on PUBACK, QoS 2 on
 * PUBCOMP; HTTPS on a 2xx status; WSS once the frame is written to the socket and the socket is
 * still open.
 */
public interface Transport extends AutoCloseable {
  String SENML_JSON = "application/senml+json";
  String SENML_CBOR = "application/senml+cbor";

  /** Opens the connection (MQTT: TLS, CONNECT, CONNACK). HTTPS and WSS connect on first use. */
  void connect();

  boolean isConnected();

  /**
   * The steps of the last successful {@link #connect()} timed apart (TCP, TLS handshake, session),
   * where the transport can tell them: MQTT does; empty before the first connect and for HTTPS and WSS.
   */
  default java.util.Optional<ConnectTimings> connectTimings() {
    return java.util.Optional.empty();
  }

  /**
   * Publishes a payload to a channel, under an optional subtopic (null for none). QoS and retained
   * apply to MQTT; HTTPS and WSS ignore them.
   */
  void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained);

  /**
   * {@link #publish} without waiting: the future completes when {@code publish} would return, or
   * fails with the {@link DeviceException} it would throw. MQTT hands the message to its client's
   * queue and is told of the acknowledgement, so that thousands can be pending with no thread
   * each; other protocols run {@code publish} on a virtual thread of its own. MQTT completes the
   * future on the client's callback thread, the one that runs message listeners: a listener must
   * not wait for it there (the blocking {@code publish} is fine).
   */
  default CompletableFuture<Void> publishAsync(String channel, String subtopic, byte[] payload,
      String contentType, int qos, boolean retained) {
    var outcome = new CompletableFuture<Void>();
    Thread.ofVirtual().name("publish").start(() -> {
      try {
        publish(channel, subtopic, payload, contentType, qos, retained);
        outcome.complete(null);
      } catch (RuntimeException e) {
        outcome.completeExceptionally(e);
      }
    });
    return outcome;
  }

  /**
   * How many publishes may wait for their acknowledgement at once on this connection, as known
   * once connected: MQTT's {@link TransportConfig#maxInFlight()}, or the broker's smaller MQTT 5
   * Receive Maximum; unbounded for the others.
   */
  default int maxInFlight() {
    return Integer.MAX_VALUE;
  }

  /** Whether this protocol can deliver messages to the device (HTTPS cannot). */
  boolean canSubscribe();

  /** Subscribes to a channel's messages (subtopic null for the channel itself). */
  void subscribe(String channel, String subtopic, int qos, MessageListener listener);

  /** Told when an open connection drops, with the reason, so that a device can reconnect. */
  void onConnectionLost(java.util.function.Consumer<DeviceException> listener);

  /** Closes the connection; no-op when closed. */
  @Override
  void close();

  /**
   * Closes the connection, and fails when the platform had closed it for what was sent. Only WSS
   * differs from {@link #close}: its frames have no acknowledgement, so a ping that the platform answers
   * after them is the one sign that it took them (a frame too large gets close code 1009 instead).
   */
  default void closeConfirmed() {
    close();
  }
}
