package io.thingstorm.loadgen.run;

import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.tls.TlsSettings;
import java.net.URI;

/**
 * Where and how the fleet reaches the platform: one URL per protocol family (null when the target
 * has none), the TLS settings every device shares, and the platform's profile.
 */
public record Endpoints(URI mqtt, URI https, URI wss, TlsSettings tls, PlatformProfile profile) {
  /** The URL a device of this protocol connects to; fails in one line when the target has none. */
  public URI urlFor(String protocol) {
    URI url = switch (protocol) {
      case "mqtt3", "mqtt5" -> mqtt;
      case "https" -> https;
      case "wss" -> wss;
      default -> throw new IllegalArgumentException("unknown protocol " + protocol);
    };
    if (url == null) throw new IllegalArgumentException("the target has no URL for " + protocol + " devices");
    return url;
  }
}
