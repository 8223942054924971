package io.thingstorm.loadgen.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the fleet connects to: the embedded testbed, started in-process, or a platform's endpoints.
 *
 * @param embedded start the testbed in this JVM; the URLs and CA are then the testbed's
 * @param mqtt {@code mqtts://host:port} of the platform's MQTT broker, or null
 * @param https {@code https://host:port/path} of its HTTP adapter, or null
 * @param wss {@code wss://host:port/path} of its WebSocket adapter, or null
 * @param ca CA bundle that the platform's server certificates chain to; null for the JDK's trust store
 * @param profile the platform's topic, URL and authorization conventions
 * @param authorization how HTTP and WebSocket requests carry the thing key
 * @param topic the MQTT topic template of the generic profile ({@code {channel}}, {@code {thing_id}},
 *     ending in {@code /{subtopic}}), or null for the profile's own
 * @param path the HTTPS and WSS path template of the generic profile, or null for the profile's own
 * @param tls TLS settings
 */
public record Target(boolean embedded, URI mqtt, URI https, URI wss, Path ca, Profile profile,
    Authorization authorization, String topic, String path, TlsOptions tls) {

  /** The endpoint that {@code protocol} connects to; empty for the embedded testbed. */
  public Optional<URI> endpoint(Protocol protocol) {
    return Optional.ofNullable(switch (protocol) {
      case MQTT3, MQTT5 -> mqtt;
      case HTTPS -> https;
      case WSS -> wss;
    });
  }

  /** Whether devices of {@code protocol} have somewhere to connect. */
  public boolean serves(Protocol protocol) {
    return embedded || endpoint(protocol).isPresent();
  }

  /** Platform conventions: topics ({@code channels/<id>/messages}), HTTP paths and credentials. */
  public enum Profile {
    MAINFLUX("mainflux", Authorization.THING),
    MAGISTRALA("magistrala", Authorization.CLIENT),
    CYBUS("cybus", Authorization.NONE),
    GENERIC("generic", Authorization.NONE);

    private final String label;
    private final Authorization defaultAuthorization;

    Profile(String label, Authorization defaultAuthorization) {
      this.label = label;
      this.defaultAuthorization = defaultAuthorization;
    }

    public String label() {
      return label;
    }

    /** What the platform expects when a scenario does not say. */
    public Authorization defaultAuthorization() {
      return defaultAuthorization;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * How HTTP and WebSocket requests carry the thing key besides the client certificate:
   * NONE (the certificate alone), PLAIN ({@code Authorization: <key>}), THING
   * ({@code Authorization: Thing <key>}, Mainflux), CLIENT ({@code Authorization: Client <key>},
   * Magistrala); for WebSockets the same value goes in the {@code authorization} query parameter.
   */
  public enum Authorization {
    NONE("none"), PLAIN("plain"), THING("thing"), CLIENT("client");

    private final String label;

    Authorization(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    @Override
    public String toString() {
      return label;
    }
  }
}
