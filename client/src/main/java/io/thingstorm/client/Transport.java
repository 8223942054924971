package io.thingstorm.client;

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

  /** Whether this protocol can deliver messages to the device (HTTPS cannot). */
  boolean canSubscribe();

  /** Subscribes to a channel's messages (subtopic null for the channel itself). */
  void subscribe(String channel, String subtopic, int qos, MessageListener listener);

  /** Told when an open connection drops, with the reason, so that a device can reconnect. */
  void onConnectionLost(java.util.function.Consumer<DeviceException> listener);

  /** Closes the connection; no-op when closed. */
  @Override
  void close();
}
