package io.thingstorm.client.mqtt;

import java.net.URI;

/** mqtts:// URLs as Paho's ssl:// server URIs. */
final class MqttUris {
  static final int MQTTS_PORT = 8883;

  private MqttUris() {}

  static String paho(URI url) {
    if (url.getHost() == null) throw new IllegalArgumentException("no host in " + url);
    int port = port(url);
    String host = url.getHost().contains(":") && !url.getHost().startsWith("[") ? "[" + url.getHost() + "]" : url.getHost();
    return "ssl://" + host + ":" + port;
  }

  static int port(URI url) {
    return url.getPort() > 0 ? url.getPort() : MQTTS_PORT;
  }

  static int qos(int qos) {
    if (qos < 0 || qos > 2) throw new IllegalArgumentException("QoS is 0, 1 or 2, not " + qos);
    return qos;
  }
}
