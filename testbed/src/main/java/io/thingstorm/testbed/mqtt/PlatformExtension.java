package io.thingstorm.testbed.mqtt;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.thingstorm.certs.CommonName;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.rules.AccessRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker side of the platform: an authenticator that checks the client certificate's CN against
 * the CONNECT credentials, and an authorizer that asks the rules on every PUBLISH and SUBSCRIBE. HiveMQ
 * itself has verified the certificate chain against the CA during the handshake.
 */
final class PlatformExtension implements ExtensionMain {
  /** Where the authenticated principal lives for the rest of the connection. */
  private static final String PRINCIPAL = "thingstorm.principal";

  private final AccessRules rules;
  private final TestbedCounters counters;
  private final CompletableFuture<PublishService> publishService = new CompletableFuture<>();
  /**
   * The thing of each client id's latest authenticated connection: a revoked thing's connections
   * are dropped by client id. A client id taken over by another thing maps to that one from then on.
   */
  private final Map<String, String> thingByClientId = new ConcurrentHashMap<>();

  PlatformExtension(AccessRules rules, TestbedCounters counters) {
    this.rules = rules;
    this.counters = counters;
  }

  /** Completes once the broker has started the extension. */
  CompletableFuture<PublishService> publishService() {
    return publishService;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) this::onConnect);
    ChannelAuthorizer authorizer = new ChannelAuthorizer();
    Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
    // An authorizer's refusal always ends the connection, under MQTT 5 too (after PUBACK 0x87). An
    // MQTT 5 client can be told "not authorised" and carry on: an interceptor that drops the publish
    // with PUBACK 0x87 does that, before the authorizer sees it.
    PublishInboundInterceptor mqtt5Refusal = this::refuseMqtt5PublishOutsidePermissions;
    Services.initializerRegistry().setClientInitializer((in, client) -> client.addPublishInboundInterceptor(mqtt5Refusal));
    publishService.complete(Services.publishService());
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

  private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectionInformation connection = input.getConnectionInformation();
    Protocol protocol = protocolOf(connection);
    String cn = connection.getClientTlsInformation()
        .flatMap(ClientTlsInformation::getClientCertificate)
        .flatMap(PlatformExtension::commonName)
        .orElse(null);
    String user = input.getConnectPacket().getUserName().orElse(null);
    String password = input.getConnectPacket().getPassword().map(PlatformExtension::utf8).orElse(null);
    Optional<String> principal = rules.authenticate(cn, user, password);
    if (principal.isEmpty()) {
      counters.refused(protocol, null, Refusal.NOT_AUTHORISED);
      output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "not authorised");
      return;
    }
    connection.getConnectionAttributeStore().putAsString(PRINCIPAL, principal.get());
    String thingId = rules.thingIdOf(principal.get());
    if (thingId != null) thingByClientId.put(input.getClientInformation().getClientId(), thingId);
    output.authenticateSuccessfully();
  }

  /**
   * Ends the live connections of a thing that was revoked: MQTT 5 clients get DISCONNECT 0x87 (not
   * authorised), MQTT 3.1.1 clients a closed connection. Their reconnects then fail authentication.
   */
  void disconnectThing(String thingId) {
    if (!publishService.isDone()) return; // not started: nothing connected
    thingByClientId.forEach((clientId, owner) -> {
      if (!owner.equals(thingId)) return;
      thingByClientId.remove(clientId, owner);
      Services.clientService().disconnectClient(clientId, true, DisconnectReasonCode.NOT_AUTHORIZED, "the thing was revoked");
    });
  }

  private void refuseMqtt5PublishOutsidePermissions(PublishInboundInput input, PublishInboundOutput output) {
    ConnectionInformation connection = input.getConnectionInformation();
    if (connection.getMqttVersion() != MqttVersion.V_5) return;
    Optional<String> principal = connection.getConnectionAttributeStore().getAsString(PRINCIPAL);
    if (principal.isPresent() && rules.mayPublish(principal.get(), input.getPublishPacket().getTopic())) return;
    counters.refused(protocolOf(connection), principal.map(rules::thingIdOf).orElse(null), Refusal.NO_PERMISSION);
    output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not authorised");
  }

  private final class ChannelAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
      ConnectionInformation connection = input.getConnectionInformation();
      Protocol protocol = protocolOf(connection);
      Optional<String> principal = connection.getConnectionAttributeStore().getAsString(PRINCIPAL);
      String topic = input.getPublishPacket().getTopic();
      if (principal.isPresent() && rules.mayPublish(principal.get(), topic)) {
        counters.received(protocol, rules.thingIdOf(principal.get()),
            input.getPublishPacket().getPayload().map(ByteBuffer::remaining).orElse(0));
        output.authorizeSuccessfully();
      } else {
        counters.refused(protocol, principal.map(rules::thingIdOf).orElse(null), Refusal.NO_PERMISSION);
        // MQTT 3.1.1 has no way to refuse a publish: HiveMQ closes the connection.
        output.failAuthorization();
      }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
      ConnectionInformation connection = input.getConnectionInformation();
      Optional<String> principal = connection.getConnectionAttributeStore().getAsString(PRINCIPAL);
      String filter = withoutSharePrefix(input.getSubscription().getTopicFilter());
      if (principal.isPresent() && rules.maySubscribe(principal.get(), filter)) {
        output.authorizeSuccessfully();
      } else {
        counters.refused(protocolOf(connection), principal.map(rules::thingIdOf).orElse(null), Refusal.NO_PERMISSION);
        output.failAuthorization(); // SUBACK 128 (MQTT 3.1.1) or 0x87 (MQTT 5)
      }
    }
  }

  static String withoutSharePrefix(String filter) {
    if (!filter.startsWith("$share/")) return filter;
    int groupEnd = filter.indexOf('/', "$share/".length());
    return groupEnd < 0 ? filter : filter.substring(groupEnd + 1);
  }

  private static Protocol protocolOf(ConnectionInformation connection) {
    ListenerType type = connection.getListener().map(Listener::getListenerType).orElse(ListenerType.TLS_TCP_LISTENER);
    return type == ListenerType.TLS_WEBSOCKET_LISTENER || type == ListenerType.WEBSOCKET_LISTENER ? Protocol.MQTT_WSS : Protocol.MQTT;
  }

  private static Optional<String> commonName(X509Certificate certificate) {
    return CommonName.of(certificate);
  }

  private static String utf8(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
  }
}
