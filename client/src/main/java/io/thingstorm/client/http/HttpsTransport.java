package io.thingstorm.client.http;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import io.thingstorm.client.MessageListener;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.BoundSocketFactory;
import io.thingstorm.client.tls.ThingTls;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * HTTPS with OkHttp: {@code POST <base>/channels/<id>/messages[/<subtopic>]}, acknowledged by a 2xx
 * status. Every device shares one dispatcher and connection pool; connections stay per device,
 * since OkHttp keys them by the device's own socket factory.
 */
public final class HttpsTransport implements Transport {
  private static final OkHttpClient SHARED = new OkHttpClient.Builder()
      .dispatcher(new Dispatcher(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("thingstorm-http-", 0).factory())))
      .connectionPool(new ConnectionPool(10_000, 5, TimeUnit.MINUTES))
      .build();

  /** Accept whatever TLS versions and suites the device's socket factory enabled. */
  private static final ConnectionSpec AS_CONFIGURED = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
      .allEnabledTlsVersions().allEnabledCipherSuites().build();

  private final TransportConfig config;
  private final OkHttpClient client;
  private final HttpUrl base;
  private volatile boolean closed;

  public HttpsTransport(TransportConfig config) {
    this(config, SHARED);
  }

  /** With another base client whose dispatcher and pool the devices share. */
  public HttpsTransport(TransportConfig config, OkHttpClient shared) {
    this.config = config;
    this.base = HttpUrl.get(config.url().toString());
    ThingTls tls = config.tls();
    OkHttpClient.Builder builder = shared.newBuilder()
        .sslSocketFactory(new HandshakeTimeoutSocketFactory(tls.socketFactoryWithoutEndpointCheck(),
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.connectTimeout().toMillis()))), tls.trustManager())
        .connectionSpecs(List.of(AS_CONFIGURED))
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.ackTimeout())
        .writeTimeout(config.ackTimeout());
    // OkHttp checks host names itself after the handshake; the insecure switch turns that off.
    if (!tls.settings().verifyHostname()) builder.hostnameVerifier((host, session) -> true);
    if (config.localAddress() != null) builder.socketFactory(BoundSocketFactory.plain(config.localAddress()));
    this.client = builder.build();
  }

  /** The client all HTTPS devices share unless given another. */
  public static OkHttpClient sharedClient() {
    return SHARED;
  }

  /** Nothing to do: the first publish connects. */
  @Override
  public void connect() {
    if (closed) throw new DeviceException(FailureKind.CLOSED, "the HTTPS transport is closed");
  }

  @Override
  public boolean isConnected() {
    return !closed;
  }

  @Override
  public void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    connect();
    ThingIdentity identity = config.identity();
    HttpUrl url = url(config.profile().path(channel, identity.thingId(), subtopic));
    Request.Builder request = new Request.Builder().url(url)
        .post(RequestBody.create(payload, MediaType.get(contentType == null ? SENML_JSON : contentType)));
    config.profile().httpAuthorization(identity).ifPresent(value -> request.header("Authorization", value));
    try (Response response = client.newCall(request.build()).execute()) {
      if (response.isSuccessful()) return;
      throw statusFailure(response.code(), response.message(), response.body().string());
    } catch (IOException e) {
      throw diagnosed(Failures.classify(e));
    }
  }

  /**
   * A connection dropped may hide a TLS 1.3 certificate alert (the server checks the client's
   * certificate after the client's handshake is over): ask the server again, as MQTT and WSS do.
   */
  private DeviceException diagnosed(DeviceException failure) {
    if (failure.kind() != FailureKind.CONNECTION_LOST) return failure;
    return config.tls().diagnoseRefusal(base.host(), base.port(), config.connectTimeout()).orElse(failure);
  }

  private HttpUrl url(String path) {
    String prefix = base.encodedPath().endsWith("/") ? base.encodedPath().substring(0, base.encodedPath().length() - 1) : base.encodedPath();
    return base.newBuilder().encodedPath(prefix + path).build();
  }

  /** The status as a failure kind; nginx answers a refused client certificate with 400. */
  static DeviceException statusFailure(int code, String message, String body) {
    String detail = "HTTP " + code + (message == null || message.isBlank() ? "" : " " + message);
    String text = body == null ? "" : body;
    return switch (code) {
      case 401 -> new DeviceException(FailureKind.HTTP_UNAUTHORIZED, detail);
      case 403 -> new DeviceException(FailureKind.HTTP_FORBIDDEN, detail);
      case 415 -> new DeviceException(FailureKind.UNSUPPORTED_MEDIA_TYPE, detail);
      case 400 -> text.contains("No required SSL certificate")
          ? new DeviceException(FailureKind.CERTIFICATE_REQUIRED, detail + ": no required SSL certificate was sent")
          : text.contains("SSL certificate error")
              ? new DeviceException(FailureKind.BAD_CERTIFICATE, detail + ": the SSL certificate error (unknown CA, expired or revoked)")
              : new DeviceException(FailureKind.HTTP_ERROR, detail);
      default -> new DeviceException(FailureKind.HTTP_ERROR, detail);
    };
  }

  @Override
  public boolean canSubscribe() {
    return false;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    throw new UnsupportedOperationException("HTTPS cannot subscribe: use an mqtts:// or wss:// URL");
  }

  @Override
  public void onConnectionLost(Consumer<DeviceException> listener) {
    // No lasting connection to lose.
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "HTTPS " + base;
  }
}
