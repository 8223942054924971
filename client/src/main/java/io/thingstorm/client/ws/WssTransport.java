package io.thingstorm.client.ws;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.MessageListener;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * WSS with Java-WebSocket: one WebSocket per channel (and subtopic) at
 * {@code <base>/channels/<id>/messages?authorization=<key>}, as Mainflux's WebSocket adapter
 * serves it; a publish is acknowledged once its frame is written and the socket is still open.
 * JSON goes as text frames, anything else as binary.
 */
public final class WssTransport implements Transport {
  private final TransportConfig config;
  private final Map<String, ChannelSocket> sockets = new ConcurrentHashMap<>();
  private volatile Consumer<DeviceException> lostListener = lost -> {};
  private volatile boolean closed;
  /** The first socket the platform closed while in use, for {@link #closeConfirmed}. */
  private volatile DeviceException closedByPlatform;

  public WssTransport(TransportConfig config) {
    this.config = config;
  }

  /** Nothing to do: each channel's socket opens on first use. */
  @Override
  public void connect() {
    if (closed) throw new DeviceException(FailureKind.CLOSED, "the WSS transport is closed");
  }

  @Override
  public boolean isConnected() {
    return !closed && sockets.values().stream().allMatch(ChannelSocket::isOpen);
  }

  @Override
  public void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    ChannelSocket socket = open(channel, subtopic);
    try {
      if (contentType == null || contentType.endsWith("json")) socket.send(new String(payload, StandardCharsets.UTF_8));
      else socket.send(payload);
    } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
      sockets.remove(socket.path(), socket);
      throw socket.failure();
    }
    socket.awaitFlushed(config.ackTimeout());
  }

  @Override
  public boolean canSubscribe() {
    return true;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    open(channel, subtopic).listen(listener);
  }

  private ChannelSocket open(String channel, String subtopic) {
    connect();
    String path = config.profile().path(channel, config.identity().thingId(), subtopic);
    ChannelSocket socket = sockets.get(path);
    if (socket != null && socket.isOpen()) return socket;
    if (socket != null) sockets.remove(path, socket);
    ChannelSocket fresh = new ChannelSocket(uri(path), path, config, lost -> {
      sockets.remove(path);
      if (closedByPlatform == null) closedByPlatform = lost;
      lostListener.accept(lost);
    });
    fresh.open(config.connectTimeout());
    sockets.put(path, fresh);
    return fresh;
  }

  private URI uri(String path) {
    URI base = config.url();
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    if (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
    String query = "authorization=" + URLEncoder.encode(config.profile().wsAuthorization(config.identity()), StandardCharsets.UTF_8);
    int port = base.getPort() > 0 ? base.getPort() : 443;
    return URI.create("wss://" + base.getRawAuthority().replaceFirst(":\\d+$", "") + ":" + port + prefix + path + "?" + query);
  }

  @Override
  public void onConnectionLost(Consumer<DeviceException> listener) {
    this.lostListener = listener;
  }

  @Override
  public void close() {
    closed = true;
    for (ChannelSocket socket : sockets.values()) socket.shut();
    sockets.clear();
  }

  @Override
  public void closeConfirmed() {
    DeviceException refused = closedByPlatform;
    for (ChannelSocket socket : sockets.values()) {
      DeviceException why = socket.confirm(config.ackTimeout());
      if (refused == null) refused = why;
    }
    close();
    if (refused != null) throw refused;
  }

  @Override
  public String toString() {
    return "WSS " + config.url();
  }
}
