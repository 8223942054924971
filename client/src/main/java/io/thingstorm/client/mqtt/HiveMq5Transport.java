package io.thingstorm.client.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.MessageListener;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * MQTT 5 over TLS with HiveMQ's asynchronous client: the same contract as {@link Mqtt5Transport}
 * (reason codes 0x80 and above fail as their kinds, 0x87 on a PUBACK or SUBACK as no permission).
 * It assigns no topic aliases, so publishes from many threads need no hand-over.
 */
public final class HiveMq5Transport implements Transport {
  private final TransportConfig config;
  private final Mqtt5AsyncClient client;
  private final AtomicBoolean connected = new AtomicBoolean();
  private volatile Consumer<DeviceException> lostListener = lost -> {};

  public HiveMq5Transport(TransportConfig config) {
    this.config = config;
    this.client = MqttClient.builder()
        .useMqttVersion5()
        .identifier(config.clientId())
        .transportConfig(HiveMqConnections.transport(config))
        .addDisconnectedListener(context -> {
          if (context.getSource() != MqttDisconnectSource.USER && connected.getAndSet(false)) {
            lostListener.accept(HiveMqConnections.failure(context.getCause()));
          }
        })
        .buildAsync();
  }

  @Override
  public void connect() {
    var connect = client.connectWith()
        .cleanStart(config.cleanStart())
        .sessionExpiryInterval(config.cleanStart() ? 0 : config.sessionExpiry().toSeconds())
        .keepAlive(config.keepAliveSeconds());
    var user = config.profile().mqttUserName(config.identity());
    var password = config.profile().mqttPassword(config.identity());
    if (user.isPresent() || password.isPresent()) {
      var auth = connect.simpleAuth().username(user.orElse(""));
      if (password.isPresent()) auth = auth.password(new String(password.get()).getBytes(StandardCharsets.UTF_8));
      auth.applySimpleAuth();
    }
    try {
      HiveMqConnections.await(connect.send(), config.connectTimeout());
    } catch (DeviceException e) {
      client.disconnect();
      throw diagnosed(e);
    }
    connected.set(true);
  }

  private DeviceException diagnosed(DeviceException failure) {
    if (failure.kind() != FailureKind.CONNECTION_LOST) return failure;
    return config.tls().diagnoseRefusal(config.url().getHost(), MqttUris.port(config.url()), config.connectTimeout())
        .orElse(failure);
  }

  @Override
  public boolean isConnected() {
    return connected.get() && client.getState().isConnected();
  }

  @Override
  public void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    String topic = config.profile().topic(channel, config.identity().thingId(), subtopic);
    var message = client.publishWith()
        .topic(topic)
        .qos(MqttQos.fromCode(qos))
        .retain(retained)
        .payload(payload);
    if (contentType != null) message.contentType(contentType);
    Mqtt5PublishResult result = HiveMqConnections.await(message.send(), config.ackTimeout());
    if (result.getError().isPresent()) throw HiveMqConnections.failure(result.getError().get());
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result acked && acked.getPubAck().getReasonCode().isError()) {
      throw HiveMqConnections.refusal(acked.getPubAck().getReasonCode().getCode(), "PUBACK", null);
    }
  }

  @Override
  public boolean canSubscribe() {
    return true;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    String filter = config.profile().topicFilter(channel, config.identity().thingId(), subtopic);
    Mqtt5SubAck ack = HiveMqConnections.await(client.subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.fromCode(qos))
        .callback(message -> listener.onMessage(new ReceivedMessage(message.getTopic().toString(),
            message.getPayloadAsBytes(), message.getQos().getCode(), message.isRetain())))
        .send(), config.ackTimeout());
    for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
      if (code.isError()) throw HiveMqConnections.refusal(code.getCode(), "SUBACK", null);
    }
  }

  @Override
  public void onConnectionLost(Consumer<DeviceException> listener) {
    this.lostListener = listener;
  }

  @Override
  public void close() {
    connected.set(false);
    try {
      client.disconnect().get(2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception notConnected) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "MQTT 5 (HiveMQ client) " + config.url();
  }
}
