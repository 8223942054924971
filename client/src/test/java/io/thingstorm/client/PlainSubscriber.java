package io.thingstorm.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A subscriber on mosquitto's plain loopback listener: the test's view of what the broker got.
 * Subscribing returns after SUBACK, so nothing published afterwards is missed.
 */
final class PlainSubscriber implements AutoCloseable {
  private final MqttClient client;
  private final BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();

  PlainSubscriber(int plainPort, String topicFilter) {
    try {
      client = new MqttClient("tcp://127.0.0.1:" + plainPort, "plain-" + System.nanoTime(), new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      client.connect(options);
      client.subscribe(topicFilter, 2, (topic, message) ->
          messages.add(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained())));
    } catch (MqttException e) {
      throw new AssertionError("cannot subscribe on the plain listener: " + e, e);
    }
  }

  ReceivedMessage next(Duration timeout) {
    try {
      ReceivedMessage message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) throw new AssertionError("no message within " + timeout);
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  void publish(String topic, byte[] payload) {
    try {
      client.publish(topic, payload, 1, false);
    } catch (MqttException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      client.disconnect();
      client.close();
    } catch (MqttException ignored) {
      // the test is over
    }
  }
}
