package io.thingstorm.client.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.internal.SSLNetworkModule;
import org.eclipse.paho.client.mqttv3.spi.NetworkModuleFactory;

/**
 * Paho 3.1.1's connection for {@code mqtt+wss://} URIs: TLS as Paho's {@code ssl://} module makes
 * it (the same socket factory, handshake timeout and host name check), then a {@link WebSocketStream}
 * that Paho's own receiver reads. Paho finds it through its {@link Factory} (a service).
 */
final class MqttOverWebSocketV3 extends SSLNetworkModule {
  private final URI uri;
  private WebSocketStream stream;

  private MqttOverWebSocketV3(SSLSocketFactory sockets, URI uri, String clientId) {
    super(sockets, uri.getHost(), MqttUris.port(uri), clientId);
    this.uri = uri;
  }

  @Override
  public void start() throws IOException, MqttException {
    super.start();
    stream = WebSocketStream.open(super.getInputStream(), super.getOutputStream(), uri);
  }

  @Override
  public InputStream getInputStream() {
    return stream.input();
  }

  @Override
  public OutputStream getOutputStream() {
    return stream.output();
  }

  @Override
  public void stop() throws IOException {
    if (stream != null) stream.close();
    super.stop();
  }

  @Override
  public String getServerURI() {
    return MqttUris.WEBSOCKET_SCHEME + "://" + uri.getHost() + ":" + MqttUris.port(uri);
  }

  /** Listed in META-INF/services, where Paho looks for the module of a URI's scheme. */
  public static final class Factory implements NetworkModuleFactory {
    @Override
    public Set<String> getSupportedUriSchemes() {
      return Set.of(MqttUris.WEBSOCKET_SCHEME);
    }

    @Override
    public void validateURI(URI uri) {
      if (uri.getHost() == null) throw new IllegalArgumentException("no host in " + uri);
    }

    @Override
    public NetworkModule createNetworkModule(URI uri, MqttConnectOptions options, String clientId) throws MqttException {
      SocketFactory factory = options.getSocketFactory();
      if (!(factory instanceof SSLSocketFactory sockets)) throw new MqttException(MqttException.REASON_CODE_SOCKET_FACTORY_MISMATCH);
      MqttOverWebSocketV3 module = new MqttOverWebSocketV3(sockets, uri, clientId);
      module.setSSLhandshakeTimeout(options.getConnectionTimeout());
      module.setSSLHostnameVerifier(options.getSSLHostnameVerifier());
      module.setHttpsHostnameVerificationEnabled(options.isHttpsHostnameVerificationEnabled());
      return module;
    }
  }
}
