package io.thingstorm.testbed.http;

import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.mqtt.BrokerPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;

/**
 * One WebSocket connection of Mainflux's WS adapter: every message (text or binary, passed on as it
 * came) is published on the channel's topic, while the thing may still use the channel: once it is
 * revoked or disconnected from it, the next message is refused and the socket closed (1008, policy
 * violation). Public because Jetty looks up its listener methods reflectively.
 */
public final class ChannelSocket implements Session.Listener.AutoDemanding {
  /** RFC 6455 close code: the message violates the server's policy. */
  static final int POLICY_VIOLATION = 1008;

  private final String topic;
  private final String thingId;
  private final BooleanSupplier allowed;
  private final BrokerPublisher broker;
  private final TestbedCounters counters;
  private volatile Session session;

  ChannelSocket(String topic, String thingId, BooleanSupplier allowed, BrokerPublisher broker, TestbedCounters counters) {
    this.topic = topic;
    this.thingId = thingId;
    this.allowed = allowed;
    this.broker = broker;
    this.counters = counters;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
  }

  @Override
  public void onWebSocketText(String message) {
    forward(message.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    callback.succeed();
    forward(bytes);
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    // Jetty closes with 1009 itself; this only counts it.
    if (cause instanceof MessageTooLargeException) counters.refused(Protocol.WSS, thingId, Refusal.TOO_LARGE);
  }

  private void forward(byte[] payload) {
    if (!allowed.getAsBoolean()) {
      counters.refused(Protocol.WSS, thingId, Refusal.FORBIDDEN);
      Session open = session;
      if (open != null && open.isOpen()) open.close(POLICY_VIOLATION, "not authorised", Callback.NOOP);
      return;
    }
    counters.received(Protocol.WSS, thingId, payload.length);
    broker.publish(topic, payload);
  }
}
