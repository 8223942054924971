package io.thingstorm.client.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
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
 * MQTT 3.1.1 over TLS with HiveMQ's asynchronous client: the same contract as {@link Mqtt3Transport},
 * at a fraction of Paho's cost per message. Its connects are not timed step by step.
 */
public final class HiveMq3Transport implements Transport {
  private final TransportConfig config;
  private final Mqtt3AsyncClient client;
  private final AtomicBoolean connected = new AtomicBoolean();
  private volatile Consumer<DeviceException> lostListener = lost -> {};

  public HiveMq3Transport(TransportConfig config) {
    this.config = config;
    this.client = MqttClient.builder()
        .useMqttVersion3()
        .identifier(config.clientId())
        .transportConfig(HiveMqConnections.transport(config))
        .addDisconnectedListener(context -> {
          // Told of failed connects and of our own disconnect too: only a drop of an open session counts.
          if (context.getSource() != MqttDisconnectSource.USER && connected.getAndSet(false)) {
            lostListener.accept(HiveMqConnections.failure(context.getCause()));
          }
        })
        .buildAsync();
  }

  @Override
  public void connect() {
    var connect = client.connectWith().cleanSession(config.cleanStart()).keepAlive(config.keepAliveSeconds());
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
      client.disconnect(); // a connect still under way stops here
      throw diagnosed(e);
    }
    connected.set(true);
  }

  /** A connection dropped during connect may hide a TLS 1.3 certificate alert: ask the server again. */
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
    HiveMqConnections.await(client.publishWith()
        .topic(topic)
        .qos(MqttQos.fromCode(qos))
        .retain(retained)
        .payload(payload)
        .send(), config.ackTimeout());
  }

  @Override
  public boolean canSubscribe() {
    return true;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    String filter = config.profile().topicFilter(channel, config.identity().thingId(), subtopic);
    Mqtt3SubAck ack = HiveMqConnections.await(client.subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.fromCode(qos))
        .callback(message -> listener.onMessage(new ReceivedMessage(message.getTopic().toString(),
            message.getPayloadAsBytes(), message.getQos().getCode(), message.isRetain())))
        .send(), config.ackTimeout());
    if (ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
      throw new DeviceException(FailureKind.NO_PERMISSION, "SUBACK 128 for " + filter);
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
    return "MQTT 3.1.1 (HiveMQ client) " + config.url();
  }
}
