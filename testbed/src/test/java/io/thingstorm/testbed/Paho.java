package io.thingstorm.testbed;

import io.thingstorm.certs.fleet.ManifestEntry;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A thing on MQTT 3.1.1 with Paho, for tests that need a subscriber on the testbed. */
final class Paho {
  private Paho() {}

  static MqttClient connect(Testbed testbed, ManifestEntry thing) throws MqttException {
    MqttClient client = new MqttClient("ssl://" + testbed.mqttUrl().getHost() + ":" + testbed.mqttUrl().getPort(),
        "t-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setSocketFactory(ThingTls.context(thing, testbed.caFile()).getSocketFactory());
    options.setUserName(thing.thing().thingId());
    options.setPassword(thing.thing().thingKey().toCharArray());
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  /** Subscribes and returns the queue that the messages arrive in; fails unless the subscription is granted. */
  static BlockingQueue<MqttMessage> subscribe(MqttClient client, String topicFilter) throws MqttException {
    BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
    IMqttToken token = client.subscribeWithResponse(topicFilter, 1, (topic, message) -> messages.add(message));
    if (token.getGrantedQos()[0] == 128) throw new AssertionError("subscription to " + topicFilter + " refused");
    return messages;
  }
}
