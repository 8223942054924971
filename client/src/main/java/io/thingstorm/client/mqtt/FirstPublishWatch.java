package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;

/**
 * Names a connection that an MQTT 3.1.1 broker closed at the thing's first publish. MQTT 3.1.1 has
 * no negative PUBACK, so a broker that refuses a topic (HiveMQ, Mainflux's adapter) or a packet
 * too large closes the connection; seen as a plain lost connection, the user would look at the
 * network. Only QoS 1 and 2 count: a QoS 0 publish is done once written, acknowledged or not.
 * One watch per connection: {@link #reset()} at every connect.
 */
final class FirstPublishWatch {
  private volatile String firstTopic;
  private volatile boolean acknowledged;

  void reset() {
    firstTopic = null;
    acknowledged = false;
  }

  void sent(String topic, int qos) {
    if (qos > 0 && firstTopic == null) firstTopic = topic;
  }

  void acknowledged(int qos) {
    if (qos > 0 && !acknowledged) acknowledged = true; // a volatile write once, not per message
  }

  /** {@code lost} as it is, or named for a close at the first publish when it was one. */
  DeviceException explain(DeviceException lost) {
    String topic = firstTopic;
    if (lost.kind() != FailureKind.CONNECTION_LOST || topic == null || acknowledged) return lost;
    return new DeviceException(FailureKind.CLOSED_AT_FIRST_PUBLISH, "the publish to " + topic, lost);
  }
}
