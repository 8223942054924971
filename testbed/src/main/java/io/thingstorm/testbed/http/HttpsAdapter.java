package io.thingstorm.testbed.http;

import io.thingstorm.testbed.TestbedException;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.mqtt.BrokerPublisher;
import io.thingstorm.testbed.registry.RegisteredThing;
import io.thingstorm.testbed.registry.ThingRegistry;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Mainflux's HTTP and WebSocket adapters behind one mTLS port (Jetty 12): {@code /http/...} takes
 * SenML posts, {@code /ws/channels/<id>/messages?authorization=<key>} takes WebSocket messages. Both
 * publish into the broker on the channel's topic, so that MQTT subscribers see them.
 */
public final class HttpsAdapter implements AutoCloseable {
  static final String WS_PREFIX = "/ws";
  static final Duration WEBSOCKET_IDLE_TIMEOUT = Duration.ofHours(1);

  private final Server server;
  private final ServerConnector connector;
  private final ThingAccess access;
  private final ThingRegistry registry;
  private final BrokerPublisher broker;
  private final TestbedCounters counters;

  /**
   * TLS material and place; {@code tls12Only} for the Cybus profile; the limits a hostile client
   * meets: request body (413), WebSocket frame and message (close 1009), and the time from accept to
   * the first complete request head.
   */
  public record Settings(String bindAddress, int port, KeyStore keyStore, char[] keyPassword, KeyStore trustStore, boolean tls12Only,
      long maxBodySize, int maxWebSocketMessageSize, Duration requestHeaderTimeout) {}

  public HttpsAdapter(Settings settings, ThingRegistry registry, BrokerPublisher broker, TestbedCounters counters) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("testbed-https");
    threads.setDaemon(true);
    server = new Server(threads);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(settings.keyStore());
    tls.setKeyStorePassword(new String(settings.keyPassword()));
    tls.setTrustStore(settings.trustStore());
    tls.setNeedClientAuth(true);
    // Clients reach the testbed by 127.0.0.1 or localhost, whatever SNI they send.
    tls.setSniRequired(false);
    if (settings.tls12Only()) tls.setIncludeProtocols("TLSv1.2");
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
    http.addCustomizer(secure);
    connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
    connector.setHost(settings.bindAddress());
    connector.setPort(settings.port());
    connector.addBean(new SslHandshakeListener() {
      @Override
      public void handshakeFailed(Event event, Throwable failure) {
        counters.refused(Protocol.HTTPS, null, Refusal.TLS_FAILURE);
      }
    });
    server.addConnector(connector);

    this.access = new ThingAccess(registry);
    this.registry = registry;
    this.broker = broker;
    this.counters = counters;
    WebSocketUpgradeHandler websockets = WebSocketUpgradeHandler.from(server, container -> {
      // Devices hold their WebSocket open between messages; Jetty's 30 s default would close them.
      container.setIdleTimeout(WEBSOCKET_IDLE_TIMEOUT);
      // Jetty checks a frame's declared length before reading its payload, and a message's as it grows.
      container.setMaxFrameSize(settings.maxWebSocketMessageSize());
      container.setMaxTextMessageSize(settings.maxWebSocketMessageSize());
      container.setMaxBinaryMessageSize(settings.maxWebSocketMessageSize());
      container.addMapping(WS_PREFIX + "/*", this::upgrade);
    });
    websockets.setHandler(new MessageHandler(access, broker, counters, settings.maxBodySize()));
    HeaderDeadline deadline = new HeaderDeadline(settings.requestHeaderTimeout(), connector.getScheduler(), websockets);
    connector.addBean(deadline);
    server.setHandler(deadline);
  }

  /** Mainflux's WS adapter rule at the upgrade: the cert's thing, its authorization value, its channel. */
  private Object upgrade(ServerUpgradeRequest upgrade, ServerUpgradeResponse response, Callback callback) {
    Optional<ChannelPath> path = ChannelPath.parse(Request.getPathInContext(upgrade), WS_PREFIX);
    if (path.isEmpty()) {
      Response.writeError(upgrade, response, callback, HttpStatus.NOT_FOUND_404);
      return null;
    }
    Optional<String> key = ThingAccess.certificateKey(upgrade);
    String authorization = Request.extractQueryParameters(upgrade).getValue("authorization");
    if (authorization == null) authorization = upgrade.getHeaders().get(HttpHeader.AUTHORIZATION);
    Optional<RegisteredThing> thing = access.authorise(key, authorization, path.get().channelId());
    if (thing.isEmpty()) {
      counters.refused(Protocol.WSS, access.thingIdOf(key), Refusal.FORBIDDEN);
      Response.writeError(upgrade, response, callback, HttpStatus.FORBIDDEN_403);
      return null;
    }
    String thingId = thing.get().thingId();
    String channelId = path.get().channelId();
    // Asked again per message: a thing revoked or cut off from the channel mid-connection is refused.
    return new ChannelSocket(path.get().topic(), thingId, () -> registry.isConnected(thingId, channelId), broker, counters);
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new TestbedException("the HTTPS adapter did not start on port " + connector.getPort() + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // best effort on the way out
    }
  }
}
