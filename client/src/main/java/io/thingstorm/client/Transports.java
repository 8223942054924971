package io.thingstorm.client;

import io.thingstorm.client.http.HttpsTransport;
import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.mqtt.Mqtt5Transport;
import io.thingstorm.client.ws.WssTransport;
import java.net.URI;
import java.util.Locale;

/**
 * The transport a URL's scheme asks for: mqtts, mqtt+wss (MQTT over a WebSocket), https or wss (the
 * platform's WebSocket adapter). TLS only: this is an mTLS client.
 */
public final class Transports {
  private Transports() {}

  /** Fails with an IllegalArgumentException naming the schemes that work. */
  public static void requireSupportedScheme(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "mqtts", "ssl", "mqtt+wss", "https", "wss" -> {
        if (url.getHost() == null) throw new IllegalArgumentException("no host in URL '" + url + "'");
        if (url.getPort() > 65535) throw new IllegalArgumentException("no such port in URL '" + url + "': ports go up to 65535");
      }
      default -> throw new IllegalArgumentException("unknown URL scheme '" + scheme + "' in '" + url
          + "': use mqtts://host:port, mqtt+wss://host:port/mqtt, https://host:port/prefix or wss://host:port/prefix");
    }
  }

  /** A transport for the config's URL; {@code mqttVersion} is 3 (3.1.1) or 5. */
  public static Transport create(TransportConfig config, int mqttVersion) {
    requireSupportedScheme(config.url());
    return switch (config.url().getScheme().toLowerCase(Locale.ROOT)) {
      case "mqtts", "ssl", "mqtt+wss" -> switch (mqttVersion) {
        case 3 -> new Mqtt3Transport(config);
        case 5 -> new Mqtt5Transport(config);
        default -> throw new IllegalArgumentException("MQTT version is 3 (3.1.1) or 5, not " + mqttVersion);
      };
      case "https" -> new HttpsTransport(config);
      default -> new WssTransport(config);
    };
  }
}
