package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.client.http.HttpsTransport;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.ws.WssTransport;
import io.thingstorm.testing.Nginx;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS and WSS against a real nginx set up as Mainflux's mTLS proxy: a client certificate is
 * required, and an Authorization header or authorization query must equal the certificate's CN.
 */
class HttpsAndWssTest {
  static final byte[] SENML = "[{\"bn\":\"dev:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static TestPki pki;
  static Upstreams.HttpAdapter http;
  static Upstreams.WsAdapter ws;
  static Nginx nginx;
  static TlsSettings tls;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create(dir);
    http = new Upstreams.HttpAdapter();
    ws = new Upstreams.WsAdapter();
    nginx = Nginx.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), """
        location /http/ {
          set $auth_ok 0;
          if ($http_authorization = "") { set $auth_ok 1; }
          if ($http_authorization = $ssl_client_s_dn_cn) { set $auth_ok 1; }
          if ($http_authorization = "Thing $ssl_client_s_dn_cn") { set $auth_ok 1; }
          if ($auth_ok = 0) { return 403; }
          proxy_pass http://127.0.0.1:%d;
        }
        location = /reused { return 200 "$ssl_session_reused $ssl_protocol"; }
        location /ws/ {
          if ($arg_authorization != $ssl_client_s_dn_cn) { return 403; }
          proxy_pass http://127.0.0.1:%d;
          proxy_http_version 1.1;
          proxy_set_header Upgrade $http_upgrade;
          proxy_set_header Connection $connection_upgrade;
        }
        """.formatted(http.port(), ws.getPort()));
    tls = TlsSettings.builder().caBundle(pki.caFile()).build();
  }

  @AfterAll
  static void stop() {
    if (nginx != null) nginx.close();
    if (http != null) http.close();
    if (ws != null) ws.close();
  }

  static Transport transport(Function<TransportConfig, Transport> kind, String url, ThingIdentity identity, PlatformProfile profile) {
    return kind.apply(TransportConfig.builder().url(URI.create(url)).identity(identity).tls(tls.forIdentity(identity))
        .profile(profile).connectTimeout(Duration.ofSeconds(5)).build());
  }

  String https() {
    return "https://localhost:" + nginx.port + "/http";
  }

  String wss() {
    return "wss://localhost:" + nginx.port + "/ws";
  }

  @Test
  void anHttpsPublishIsAcknowledgedAndReachesTheAdapterByteExact() throws Exception {
    http.requests.clear();
    try (Transport transport = transport(HttpsTransport::new, https(), Things.identity(pki, "thing-http"), PlatformProfile.mainflux())) {
      transport.publish("chan-1", "kitchen", SENML, Transport.SENML_JSON, 1, false);
    }
    Upstreams.HttpRequest request = http.next();
    assertThat(request.path()).isEqualTo("/http/channels/chan-1/messages/kitchen");
    assertThat(request.contentType()).isEqualTo("application/senml+json");
    assertThat(request.authorization()).as("under mTLS the header is left out by default").isNull();
    assertThat(request.body()).isEqualTo(SENML);
  }

  @Test
  void anAuthorizationHeaderThatMatchesTheCertificateIsAccepted() throws Exception {
    ThingIdentity thing = Things.identity(pki, "thing-auth");
    for (AuthorizationFormat format : new AuthorizationFormat[] {AuthorizationFormat.PLAIN, AuthorizationFormat.THING}) {
      http.requests.clear();
      try (Transport transport = transport(HttpsTransport::new, https(), thing, PlatformProfile.mainflux().withAuthorization(format))) {
        transport.publish("chan-2", null, SENML, Transport.SENML_JSON, 1, false);
      }
      assertThat(http.next().authorization()).isEqualTo(format.render("thing-auth"));
    }
  }

  @Test
  void aMismatchedAuthorizationIsForbidden() {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("the-cn", io.thingstorm.certs.KeyType.EC_P256, 90))
        .thingKey("another-key").build();
    try (Transport transport = transport(HttpsTransport::new, https(), thing, PlatformProfile.mainflux().withAuthorization(AuthorizationFormat.PLAIN))) {
      assertThatThrownBy(() -> transport.publish("chan-3", null, SENML, Transport.SENML_JSON, 1, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_FORBIDDEN))
          .hasMessageStartingWith("HTTP 403 forbidden: ");
    }
  }

  @Test
  void aContentTypeTheAdapterRefusesIs415() {
    try (Transport transport = transport(HttpsTransport::new, https(), Things.identity(pki, "thing-415"), PlatformProfile.mainflux())) {
      assertThatThrownBy(() -> transport.publish("chan-4", null, SENML, "text/plain", 1, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNSUPPORTED_MEDIA_TYPE));
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedByNginx() {
    TestPki other = TestPki.create(dir.resolve("other"), "another CA");
    try (Transport transport = transport(HttpsTransport::new, https(), Things.identity(other, "stranger"), PlatformProfile.mainflux())) {
      assertThatThrownBy(() -> transport.publish("chan-5", null, SENML, Transport.SENML_JSON, 1, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_CERTIFICATE))
          .hasMessageContaining("400");
    }
  }

  @Test
  void httpsAndWssDevicesConnectFromTheLocalAddressGiven() throws Exception {
    ThingIdentity thing = Things.identity(pki, "thing-from-elsewhere");
    String[] from = {"127.0.0.4", "127.0.0.5"};
    List<Function<TransportConfig, Transport>> kinds = List.of(HttpsTransport::new, WssTransport::new);
    List<String> urls = List.of(https(), wss());
    for (int i = 0; i < 2; i++) {
      try (Transport transport = kinds.get(i).apply(TransportConfig.builder().url(URI.create(urls.get(i))).identity(thing)
          .tls(tls.forIdentity(thing)).connectTimeout(Duration.ofSeconds(5))
          .localAddress(java.net.InetAddress.getByName(from[i])).build())) {
        transport.publish("chan-from-" + i, null, SENML, Transport.SENML_JSON, 1, false);
      }
    }
    // nginx logs a WebSocket once it closes: wait for that line.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!nginx.accessLog().contains("chan-from-1") && System.nanoTime() < deadline) Thread.sleep(50);
    List<String> lines = nginx.accessLog().lines().filter(l -> l.contains("chan-from-")).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("127.0.0.4 ").contains("POST /http/channels/chan-from-0/messages"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("127.0.0.5 ").contains("/ws/channels/chan-from-1/messages"));
  }

  /** What nginx says about the TLS session of one fresh connection: "r" when it was resumed. */
  static String sessionOf(io.thingstorm.client.tls.ThingTls thingTls) throws Exception {
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) thingTls.socketFactory().createSocket("localhost", nginx.port)) {
      socket.getOutputStream().write("GET /reused HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  @Test
  void sessionsResumeUnlessTurnedOff() throws Exception {
    ThingIdentity thing = Things.identity(pki, "thing-resume");
    for (String version : new String[] {"1.2", "1.3"}) {
      var resuming = tls.newBuilder().versions(version).build().forIdentity(thing);
      assertThat(sessionOf(resuming)).isEqualTo(". TLSv" + version);
      assertThat(sessionOf(resuming)).isEqualTo("r TLSv" + version);

      var fresh = tls.newBuilder().versions(version).sessionResumption(false).build().forIdentity(thing);
      assertThat(sessionOf(fresh)).isEqualTo(". TLSv" + version);
      assertThat(sessionOf(fresh)).as("resumption off, TLS " + version).isEqualTo(". TLSv" + version);
    }
  }

  @Test
  void aServerCertificateForAnotherHostIsAHostnameMismatchOverHttpsAndWss() {
    var otherHost = pki.ca.issueServer("otherhost", java.util.List.of("otherhost"), java.util.List.of(), io.thingstorm.certs.KeyType.EC_P256, 30);
    io.thingstorm.certs.CaDirectory.at(dir).write("otherhost", otherHost, io.thingstorm.certs.pem.KeyFormat.PKCS8, null, false);
    try (Nginx misnamed = Nginx.start(dir, pki.caFile(), pki.certFile("otherhost"), pki.keyFile("otherhost"),
        "location / { return 202; }")) {
      ThingIdentity thing = Things.identity(pki, "thing-misnamed");
      java.util.Map<String, Function<TransportConfig, Transport>> transports = java.util.Map.of("https", HttpsTransport::new, "wss", WssTransport::new);
      for (var entry : transports.entrySet()) {
        String scheme = entry.getKey();
        try (Transport transport = transport(entry.getValue(), scheme + "://localhost:" + misnamed.port, thing, PlatformProfile.mainflux())) {
          assertThatThrownBy(() -> transport.publish("c", null, SENML, Transport.SENML_JSON, 0, false))
              .as(scheme)
              .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH))
              .message().doesNotContain(":)"); // OkHttp's "not verified:" had its colon left before the cut
        }
      }
      TlsSettings insecure = tls.newBuilder().insecureSkipHostnameVerification().build();
      try (Transport transport = new HttpsTransport(TransportConfig.builder().url(URI.create("https://localhost:" + misnamed.port))
          .identity(thing).tls(insecure.forIdentity(thing)).build())) {
        transport.publish("c", null, SENML, Transport.SENML_JSON, 0, false);
      }
    }
  }

  @Test
  void aWssPublishReachesTheAdapter() throws Exception {
    ws.frames.clear();
    try (Transport transport = transport(WssTransport::new, wss(), Things.identity(pki, "thing-ws"), PlatformProfile.mainflux())) {
      transport.publish("chan-ws", null, SENML, Transport.SENML_JSON, 0, false);
      byte[] cbor = {(byte) 0x81, (byte) 0xA2, 0x00, 0x61, 0x74, 0x02, 0x01};
      transport.publish("chan-ws", null, cbor, Transport.SENML_CBOR, 0, false);

      Upstreams.Frame text = ws.next(Duration.ofSeconds(5));
      assertThat(text.resource()).isEqualTo("/ws/channels/chan-ws/messages?authorization=thing-ws");
      assertThat(text.payload()).isEqualTo(SENML);
      assertThat(text.text()).isTrue();
      Upstreams.Frame binary = ws.next(Duration.ofSeconds(5));
      assertThat(binary.payload()).isEqualTo(cbor);
      assertThat(binary.text()).isFalse();
    }
  }

  @Test
  void aWssSubscriberHearsThePlatform() throws Exception {
    CompletableFuture<ReceivedMessage> got = new CompletableFuture<>();
    try (Transport transport = transport(WssTransport::new, wss(), Things.identity(pki, "thing-ws-sub"), PlatformProfile.mainflux())) {
      transport.subscribe("chan-down", null, 0, got::complete);
      Thread.sleep(200); // the proxied upgrade completes upstream a moment after the client sees it
      ws.sendToAll("[{\"n\":\"switch\",\"vb\":true}]");
      assertThat(new String(got.get(5, TimeUnit.SECONDS).payload(), StandardCharsets.UTF_8)).isEqualTo("[{\"n\":\"switch\",\"vb\":true}]");
    }
  }

  @Test
  void aWssCertificateFromAnotherCaIsRefusedByNginx() {
    TestPki other = TestPki.create(dir.resolve("other-ws"), "another CA");
    try (Transport transport = transport(WssTransport::new, wss(), Things.identity(other, "stranger"), PlatformProfile.mainflux())) {
      assertThatThrownBy(() -> transport.publish("chan-ws", null, SENML, Transport.SENML_JSON, 0, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.BAD_CERTIFICATE));
    }
  }

  @Test
  void aWssAuthorizationThatDoesNotMatchIsForbidden() {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("ws-cn", io.thingstorm.certs.KeyType.EC_P256, 90))
        .thingKey("not-the-cn").build();
    try (Transport transport = transport(WssTransport::new, wss(), thing, PlatformProfile.mainflux())) {
      assertThatThrownBy(() -> transport.publish("chan-ws", null, SENML, Transport.SENML_JSON, 0, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_FORBIDDEN));
    }
  }
}
