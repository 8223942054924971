package io.thingstorm.loadgen.run;

import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.tls.TlsSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Where and how the fleet reaches the platform: one URL per protocol family (null when the target
 * has none), the TLS settings every device shares, the platform's profile, and the local addresses
 * devices connect from (empty: the system's choice).
 */
public record Endpoints(URI mqtt, URI https, URI wss, TlsSettings tls, PlatformProfile profile, List<InetAddress> sourceAddresses) {
  public Endpoints {
    sourceAddresses = List.copyOf(sourceAddresses);
  }

  public Endpoints(URI mqtt, URI https, URI wss, TlsSettings tls, PlatformProfile profile) {
    this(mqtt, https, wss, tls, profile, List.of());
  }

  /** The local address device {@code index} connects from, in turn over the list; null for the system's choice. */
  public InetAddress sourceAddressFor(int index) {
    return sourceAddresses.isEmpty() ? null : sourceAddresses.get(Math.floorMod(index, sourceAddresses.size()));
  }

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
