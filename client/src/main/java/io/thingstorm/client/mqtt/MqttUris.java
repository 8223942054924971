package io.thingstorm.client.mqtt;

import java.net.URI;

/**
 * mqtts:// URLs as Paho's ssl:// server URIs. mqtt+wss:// (MQTT over a WebSocket over TLS, as
 * Mainflux serves it at {@code /mqtt} and brokers behind an HTTPS proxy do) stays as it is: Paho
 * hands that scheme to thingstorm's own module ({@link MqttOverWebSocketV3}, {@link MqttOverWebSocketV5}).
 */
final class MqttUris {
  static final int MQTTS_PORT = 8883;
  static final int HTTPS_PORT = 443;
  /** Where MQTT over WebSocket is served when the URL names no path (Mainflux, mosquitto's examples). */
  static final String WEBSOCKET_PATH = "/mqtt";
  static final String WEBSOCKET_SCHEME = "mqtt+wss";

  private MqttUris() {}

  static String paho(URI url) {
    if (url.getHost() == null) throw new IllegalArgumentException("no host in " + url);
    int port = port(url);
    String host = url.getHost().contains(":") && !url.getHost().startsWith("[") ? "[" + url.getHost() + "]" : url.getHost();
    if (!overWebSocket(url)) return "ssl://" + host + ":" + port;
    return WEBSOCKET_SCHEME + "://" + host + ":" + port + webSocketPath(url);
  }

  /** The path (with its query) that the WebSocket upgrade asks for: {@code /mqtt} unless the URL names one. */
  static String webSocketPath(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? WEBSOCKET_PATH : url.getRawPath();
    return path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
  }

  static boolean overWebSocket(URI url) {
    return WEBSOCKET_SCHEME.equalsIgnoreCase(url.getScheme());
  }

  static int port(URI url) {
    return url.getPort() > 0 ? url.getPort() : overWebSocket(url) ? HTTPS_PORT : MQTTS_PORT;
  }

  static int qos(int qos) {
    if (qos < 0 || qos > 2) throw new IllegalArgumentException("QoS is 0, 1 or 2, not " + qos);
    return qos;
  }
}
