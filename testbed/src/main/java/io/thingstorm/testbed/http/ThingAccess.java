package io.thingstorm.testbed.http;

import io.thingstorm.certs.CommonName;
import io.thingstorm.testbed.registry.RegisteredThing;
import io.thingstorm.testbed.registry.ThingRegistry;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/** Mainflux's access rule for the HTTP and WebSocket adapters: the cert's thing, its Authorization, its channel. */
final class ThingAccess {
  private final ThingRegistry registry;

  ThingAccess(ThingRegistry registry) {
    this.registry = registry;
  }

  /** The key in the client certificate (its CN); Jetty has verified the chain at the handshake. */
  static Optional<String> certificateKey(Request request) {
    if (!(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls)) return Optional.empty();
    X509Certificate[] chain = tls.peerCertificates();
    if (chain == null || chain.length == 0) return Optional.empty();
    return CommonName.of(chain[0]);
  }

  /** The thing that may post to this channel with this Authorization value, or empty (403). */
  Optional<RegisteredThing> authorise(Optional<String> certificateKey, String authorization, String channelId) {
    if (certificateKey.isEmpty()) return Optional.empty();
    if (!AuthorizationValue.acceptable(authorization, certificateKey.get())) return Optional.empty();
    return registry.byKey(certificateKey.get()).filter(t -> t.isConnectedTo(channelId));
  }

  /** The thing id to count a refusal under, when the certificate names a registered thing. */
  String thingIdOf(Optional<String> certificateKey) {
    return certificateKey.flatMap(registry::byKey).map(RegisteredThing::thingId).orElse(null);
  }
}
