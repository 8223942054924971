package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.client.senml.SenmlCbor;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mainflux's HTTP and WebSocket adapters: what curl posts (the platform guide's own command) and what
 * a WebSocket client sends reach an MQTT subscriber; the refusals are the platform's.
 */
class TestbedHttpTest {
  static final String SENML = "[{\"bn\":\"some-base-name:\",\"bt\":1.276020076001e+09, \"bu\":\"A\",\"bver\":5, "
      + "\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1}, {\"n\":\"current\",\"t\":-5,\"v\":1.2}, {\"n\":\"current\",\"t\":-4,\"v\":1.3}]";

  @TempDir static Path dir;
  static Testbed testbed;
  static ManifestEntry thing;
  static ManifestEntry stranger;
  static MqttClient subscriber;
  static BlockingQueue<MqttMessage> received;

  @BeforeAll
  static void start() throws Exception {
    testbed = Testbed.builder().dir(dir).generateThings(2).channels(2).build().start();
    thing = testbed.identities().get(0);
    stranger = testbed.identities().get(1); // on the other channel
    subscriber = Paho.connect(testbed, thing);
    received = Paho.subscribe(subscriber, "channels/" + thing.thing().channelId() + "/messages/#");
  }

  @AfterAll
  static void stop() throws Exception {
    if (subscriber != null) subscriber.disconnect();
    if (testbed != null) testbed.close();
  }

  @Test
  void aSenmlPackPostedWithCurlReachesAnMqttSubscriber() throws Exception {
    ExternalCommand.Result curl = curl(thing, List.of("-H", "Content-Type: application/senml+json"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", SENML);
    assertThat(curl.stdout()).startsWith("HTTP/1.1 202");
    MqttMessage message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo(SENML);
    assertThat(testbed.counts().thing(thing.thing().thingId()).messages()).isPositive();
  }

  @Test
  void aCborPackOnASubtopicWithAnAuthorizationHeaderIsAccepted() throws Exception {
    byte[] cbor = SenmlCbor.encode(SenmlJson.decode(SENML.getBytes(StandardCharsets.UTF_8)));
    Path body = Files.write(dir.resolve("pack.cbor"), cbor);
    ExternalCommand.Result curl = curl(thing,
        List.of("-H", "Content-Type: application/senml+cbor", "-H", "Authorization: Thing " + thing.thing().thingKey()),
        "/channels/" + thing.thing().channelId() + "/messages/room1/temperature", "--data-binary", "@" + body);
    assertThat(curl.stdout()).startsWith("HTTP/1.1 202");
    MqttMessage message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.getPayload()).isEqualTo(cbor);
  }

  @Test
  void anotherContentTypeGets415() {
    long before = testbed.counts().protocol(Protocol.HTTPS).refusals(Refusal.UNSUPPORTED_MEDIA_TYPE);
    ExternalCommand.Result curl = curl(thing, List.of("-H", "Content-Type: text/plain"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", SENML);
    assertThat(curl.stdout()).startsWith("HTTP/1.1 415");
    assertThat(testbed.counts().protocol(Protocol.HTTPS).refusals(Refusal.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(before + 1);
  }

  @Test
  void anInvalidPackGets400() {
    ExternalCommand.Result curl = curl(thing, List.of("-H", "Content-Type: application/senml+json"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", "[{\"n\":\"voltage\",\"v\":\"not a number\"}]");
    assertThat(curl.stdout()).startsWith("HTTP/1.1 400");
    ExternalCommand.Result notJson = curl(thing, List.of("-H", "Content-Type: application/senml+json"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", "voltage=120");
    assertThat(notJson.stdout()).startsWith("HTTP/1.1 400");
  }

  @Test
  void anAuthorizationThatIsNotTheCertificatesKeyGets403() {
    long before = testbed.counts().thing(thing.thing().thingId()).refusals(Refusal.FORBIDDEN);
    ExternalCommand.Result curl = curl(thing,
        List.of("-H", "Content-Type: application/senml+json", "-H", "Authorization: " + stranger.thing().thingKey()),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", SENML);
    assertThat(curl.stdout()).startsWith("HTTP/1.1 403");
    assertThat(testbed.counts().thing(thing.thing().thingId()).refusals(Refusal.FORBIDDEN)).isEqualTo(before + 1);
  }

  @Test
  void aChannelTheThingIsNotConnectedToGets403() {
    ExternalCommand.Result curl = curl(stranger, List.of("-H", "Content-Type: application/senml+json"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", SENML);
    assertThat(curl.stdout()).startsWith("HTTP/1.1 403");
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshakeAndIsCounted() throws Exception {
    CertificateAuthority other = CertificateAuthority.createRoot("stranger CA", KeyType.EC_P256, 1);
    Path strangerDir = Files.createDirectories(dir.resolve("stranger"));
    CaDirectory.at(strangerDir).write("thing", other.issueThing(thing.thing().thingKey(), KeyType.EC_P256, 1), KeyFormat.PKCS8, null, false);
    ManifestEntry forged = new ManifestEntry(thing.thing(), CaDirectory.at(strangerDir).certFile("thing"), CaDirectory.at(strangerDir).keyFile("thing"));
    long before = testbed.counts().protocol(Protocol.HTTPS).refusals(Refusal.TLS_FAILURE);
    ExternalCommand.Result curl = curl(forged, List.of("-H", "Content-Type: application/senml+json"),
        "/channels/" + thing.thing().channelId() + "/messages", "-d", SENML);
    assertThat(curl.exitCode()).isNotZero();
    assertThat(curl.stdout()).doesNotContain("HTTP/1.1");
    assertThat(testbed.counts().protocol(Protocol.HTTPS).refusals(Refusal.TLS_FAILURE)).isGreaterThan(before);
  }

  @Test
  void aClientWithoutACertificateFailsTheHandshake() {
    Path curl = DebianTool.require("curl", "curl");
    ExternalCommand.Result result = ExternalCommand.run(List.of(curl.toString(), "-s", "-S", "-i", "--cacert", testbed.caFile().toString(),
        "-X", "POST", "-H", "Content-Type: application/senml+json", "https://localhost:" + testbed.httpsPort() + "/http/channels/"
            + thing.thing().channelId() + "/messages", "-d", SENML), null, Duration.ofSeconds(20));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout()).doesNotContain("HTTP/1.1 202");
  }

  @Test
  void aMessageSentOverWssReachesAnMqttSubscriber() throws Exception {
    URI url = URI.create(testbed.wsUrl() + "/channels/" + thing.thing().channelId() + "/messages?authorization=" + thing.thing().thingKey());
    Socket socket = new Socket(url, thing);
    assertThat(socket.connectBlocking(10, TimeUnit.SECONDS)).as(() -> "connected: " + socket.closed.getNow("")).isTrue();
    socket.send(SENML);
    MqttMessage message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).isEqualTo(SENML);
    socket.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(received.poll(10, TimeUnit.SECONDS).getPayload()).containsExactly(1, 2, 3);
    socket.closeBlocking();
    assertThat(testbed.awaitCounts(c -> c.protocol(Protocol.WSS).messages() >= 2, Duration.ofSeconds(5))
        .protocol(Protocol.WSS).messages()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aWssAuthorizationThatIsNotTheCertificatesKeyIsRefusedWith403() throws Exception {
    URI url = URI.create(testbed.wsUrl() + "/channels/" + thing.thing().channelId() + "/messages?authorization=" + stranger.thing().thingKey());
    Socket socket = new Socket(url, thing);
    assertThat(socket.connectBlocking(10, TimeUnit.SECONDS)).isFalse();
    assertThat(socket.closed.get(10, TimeUnit.SECONDS)).contains("403");
    assertThat(testbed.counts().protocol(Protocol.WSS).refusals(Refusal.FORBIDDEN)).isPositive();
  }

  @Test
  void anOpenWebSocketOfAThingCutOffFromItsChannelIsClosedAtItsNextMessage() throws Exception {
    String channel = stranger.thing().channelId();
    URI url = URI.create(testbed.wsUrl() + "/channels/" + channel + "/messages?authorization=" + stranger.thing().thingKey());
    Socket socket = new Socket(url, stranger);
    assertThat(socket.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
    long forbidden = testbed.counts().protocol(Protocol.WSS).refusals(Refusal.FORBIDDEN);
    try {
      testbed.registry().disconnect(stranger.thing().thingId(), channel);
      socket.send(SENML);
      assertThat(socket.closed.get(10, TimeUnit.SECONDS)).startsWith("1008");
      assertThat(testbed.counts().protocol(Protocol.WSS).refusals(Refusal.FORBIDDEN)).isEqualTo(forbidden + 1);
    } finally {
      testbed.registry().connect(stranger.thing().thingId(), channel);
    }
  }

  /** The Mainflux guide's curl command, pointed at the testbed. */
  static ExternalCommand.Result curl(ManifestEntry as, List<String> headers, String path, String... data) {
    Path curl = DebianTool.require("curl", "curl");
    List<String> command = new ArrayList<>(List.of(curl.toString(), "-s", "-S", "-i",
        "--cacert", testbed.caFile().toString(), "--cert", as.cert().toString(), "--key", as.key().toString(),
        "--insecure", "-X", "POST"));
    command.addAll(headers);
    command.add("https://localhost:" + testbed.httpsPort() + "/http" + path);
    command.addAll(List.of(data));
    return ExternalCommand.run(command, null, Duration.ofSeconds(20));
  }

  /** A WebSocket client (Java-WebSocket) presenting the thing's certificate. */
  static final class Socket extends WebSocketClient {
    final CompletableFuture<String> closed = new CompletableFuture<>();

    Socket(URI url, ManifestEntry thing) {
      super(url);
      setSocketFactory(ThingTls.context(thing, testbed.caFile()).getSocketFactory());
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String message) {}

    @Override
    public void onClose(int code, String reason, boolean remote) {
      closed.complete(code + " " + reason);
    }

    @Override
    public void onError(Exception e) {}
  }
}
