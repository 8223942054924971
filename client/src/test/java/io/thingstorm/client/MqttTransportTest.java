package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.mqtt.Mqtt5Transport;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.ExternalCommand;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT 3.1.1 and 5 against a real mosquitto with require_certificate and use_identity_as_username. */
class MqttTransportTest {
  static final byte[] SENML = "[{\"bn\":\"some-base-name:\",\"bt\":1.276020076001e+09,\"bu\":\"A\",\"bver\":5,\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},{\"n\":\"current\",\"t\":-5,\"v\":1.2}]"
      .getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;
  static TlsSettings tls;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
    tls = TlsSettings.builder().caBundle(pki.caFile()).build();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  static Transport mqtt(Function<TransportConfig, Transport> kind, ThingIdentity identity, int port) {
    return mqtt(kind, identity, "localhost", port, tls);
  }

  static Transport mqtt(Function<TransportConfig, Transport> kind, ThingIdentity identity, String host, int port, TlsSettings tls) {
    return kind.apply(TransportConfig.builder()
        .url(URI.create("mqtts://" + host + ":" + port))
        .identity(identity)
        .tls(tls.forIdentity(identity))
        .connectTimeout(Duration.ofSeconds(5))
        .build());
  }

  @Test
  void mqtt311PublishArrivesByteExactAtMosquittoSub() {
    ThingIdentity thing = Things.identity(pki, "thing-key-311");
    // mosquitto_sub -C 1 gets the retained message even if it subscribes after the publish.
    try (Transport transport = mqtt(Mqtt3Transport::new, thing, broker.tlsPort)) {
      transport.connect();
      transport.publish("chan-311", null, SENML, Transport.SENML_JSON, 1, true);
    }
    ExternalCommand.Result sub = ExternalCommand.run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort),
        "-t", "channels/chan-311/messages", "-C", "1", "-W", "10", "-v"), null, Duration.ofSeconds(15));

    assertThat(sub.exitCode()).as(sub.output()).isZero();
    assertThat(sub.stdout()).isEqualTo("channels/chan-311/messages " + new String(SENML, StandardCharsets.UTF_8) + "\n");
  }

  @Test
  void mqtt5PublishesAtEveryQosArriveByteExact() {
    ThingIdentity thing = Things.identity(pki, "thing-key-5");
    try (PlainSubscriber subscriber = new PlainSubscriber(broker.plainPort, "channels/chan-5/messages/#");
        Transport transport = mqtt(Mqtt5Transport::new, thing, broker.tlsPort)) {
      transport.connect();
      for (int qos = 0; qos <= 2; qos++) {
        byte[] payload = ("[{\"n\":\"qos\",\"v\":" + qos + "}]").getBytes(StandardCharsets.UTF_8);
        transport.publish("chan-5", "room/" + qos, payload, Transport.SENML_JSON, qos, false);
        ReceivedMessage received = subscriber.next(Duration.ofSeconds(5));
        assertThat(received.topic()).isEqualTo("channels/chan-5/messages/room/" + qos);
        assertThat(received.payload()).isEqualTo(payload);
      }
    }
  }

  @Test
  void publishesFromManyThreadsAtOnceAllReachASubscriber() throws Exception {
    // Publishes handed to Paho together leave in one TLS record (PublishBatchingStream). A flush held
    // back for a publish that never comes would strand the last ones although their QoS 0 tokens
    // completed: only a subscriber can tell. More threads than Paho's in-flight window (10 in v3,
    // mosquitto's Receive Maximum of 20 in v5): a blocking publish waits for a slot, never fails.
    int threads = 32;
    int each = 100;
    ThingIdentity reader = Things.identity(pki, "thing-key-batch-reader");
    int round = 0;
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      for (int qos : new int[] {0, 1}) {
        String channel = "chan-batch-" + round++;
        java.util.Set<String> arrived = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Transport subscriber = mqtt(Mqtt3Transport::new, reader, broker.tlsPort);
            Transport publisher = mqtt(kind, Things.identity(pki, "thing-key-batch-" + round), broker.tlsPort);
            var senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
          subscriber.connect();
          subscriber.subscribe(channel, null, 1, m -> arrived.add(new String(m.payload(), StandardCharsets.UTF_8)));
          publisher.connect();
          List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int thread = t;
            sent.add(senders.submit(() -> {
              for (int i = 0; i < each; i++) {
                publisher.publish(channel, null, ("m" + thread + "-" + i).getBytes(StandardCharsets.UTF_8), Transport.SENML_JSON, qos, false);
              }
              return null;
            }));
          }
          for (var f : sent) f.get();
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (arrived.size() < threads * each && System.nanoTime() < deadline) Thread.sleep(20);
          assertThat(arrived).as("%s at QoS %d", publisher, qos).hasSize(threads * each)
              .contains("m0-0", "m" + (threads - 1) + "-" + (each - 1));
        }
      }
    }
  }

  @Test
  void publishAsyncKeepsManyPendingFromOneThreadAndAllReachASubscriber() throws Exception {
    // A load generator hands publishes over without waiting, from one thread, and hears of each
    // acknowledgement from Paho's listener: every future must complete, and every message arrive.
    int messages = 2_000;
    ThingIdentity reader = Things.identity(pki, "thing-key-async-reader");
    int round = 0;
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      for (int qos : new int[] {0, 1}) {
        String channel = "chan-async-" + round++;
        java.util.Set<String> arrived = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Transport subscriber = mqtt(Mqtt3Transport::new, reader, broker.tlsPort);
            Transport publisher = mqtt(kind, Things.identity(pki, "thing-key-async-" + round), broker.tlsPort)) {
          subscriber.connect();
          subscriber.subscribe(channel, null, 1, m -> arrived.add(new String(m.payload(), StandardCharsets.UTF_8)));
          publisher.connect();
          // Paho refuses an eleventh QoS 1 publish in flight: keep eight, as the load generator does.
          java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(8);
          List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
          for (int i = 0; i < messages; i++) {
            if (qos > 0) window.acquire();
            CompletableFuture<Void> outcome = publisher.publishAsync(channel, null, ("a" + i).getBytes(StandardCharsets.UTF_8),
                Transport.SENML_JSON, qos, false);
            outcome.whenComplete((done, failure) -> window.release());
            pending.add(outcome);
          }
          CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(20, java.util.concurrent.TimeUnit.SECONDS);
          long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          while (arrived.size() < messages && System.nanoTime() < deadline) Thread.sleep(20);
          assertThat(arrived).as("%s at QoS %d", publisher, qos).hasSize(messages).contains("a0", "a" + (messages - 1));
        }
      }
    }
  }

  @Test
  void aBlockingPublishFromInsideAMessageListenerIsAcknowledged() throws Exception {
    // A device that answers a command publishes from its listener, on Paho's callback thread. The
    // blocking publish must not need that thread to hear of its acknowledgement, or it waits out
    // the ack timeout although the broker answered at once.
    int round = 0;
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      String in = "chan-command-" + round;
      String out = "chan-reply-" + round++;
      ThingIdentity thing = Things.identity(pki, "thing-key-replier-" + round);
      TransportConfig config = TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
          .identity(thing).tls(tls.forIdentity(thing)).connectTimeout(Duration.ofSeconds(5)).ackTimeout(Duration.ofSeconds(3)).build();
      CompletableFuture<Void> replied = new CompletableFuture<>();
      try (Transport replier = kind.apply(config);
          Transport commander = mqtt(Mqtt3Transport::new, Things.identity(pki, "thing-key-commander"), broker.tlsPort)) {
        replier.connect();
        replier.subscribe(in, null, 1, command -> {
          try {
            replier.publish(out, null, SENML, Transport.SENML_JSON, 1, false);
            replied.complete(null);
          } catch (RuntimeException e) {
            replied.completeExceptionally(e);
          }
        });
        commander.connect();
        commander.publish(in, null, SENML, Transport.SENML_JSON, 1, false);
        assertThat(replied).as("%s: the reply's PUBACK", replier).succeedsWithin(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void maxInFlightLetsMoreThanPahosTenWaitAndFollowsTheBrokersReceiveMaximum() throws Exception {
    ThingIdentity thing = Things.identity(pki, "thing-key-window");
    TransportConfig.Builder config = TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
        .identity(thing).tls(tls.forIdentity(thing)).connectTimeout(Duration.ofSeconds(5));
    // MQTT 3.1.1: 40 QoS 1 publishes handed over at once; Paho's default of 10 would refuse the eleventh.
    try (Transport v3 = new Mqtt3Transport(config.maxInFlight(40).build())) {
      v3.connect();
      assertThat(v3.maxInFlight()).isEqualTo(40);
      List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        pending.add(v3.publishAsync("chan-window", null, SENML, Transport.SENML_JSON, 1, false));
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    // MQTT 5: mosquitto's CONNACK names a Receive Maximum of 20 (its max_inflight_messages): that wins.
    try (Transport v5 = new Mqtt5Transport(config.maxInFlight(40).build())) {
      v5.connect();
      assertThat(v5.maxInFlight()).isEqualTo(20);
    }
  }

  @Test
  void mqtt5PublishesFromManyThreadsAtOnceAreAllAcknowledged() throws Exception {
    // Paho names a topic by an alias from its second publish on (mosquitto allows 10 aliases).
    // Threads publishing to a new topic at the same instant raced: an alias-only PUBLISH could go
    // out before the one defining the alias, and mosquitto disconnected with 0x82 (protocol error).
    ThingIdentity thing = Things.identity(pki, "thing-key-5-threads");
    int threads = 8;
    int topics = 10;
    for (int qos : new int[] {1, 2}) {
      try (Transport transport = mqtt(Mqtt5Transport::new, thing, broker.tlsPort);
          var senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        transport.connect();
        var together = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          sent.add(senders.submit(() -> {
            for (int topic = 0; topic < topics; topic++) {
              together.await(10, java.util.concurrent.TimeUnit.SECONDS); // all at once on each new topic
              transport.publish("chan-threads", "q" + qos + "-" + topic, SENML, Transport.SENML_JSON, qos, false);
            }
            return null;
          }));
        }
        for (var f : sent) f.get(); // a publish that failed fails the test here, with its reason
        assertThat(transport.isConnected()).as("QoS %d", qos).isTrue();
      }
    }
  }

  @Test
  void mqtt311PublishesAtEveryQosArriveByteExact() {
    ThingIdentity thing = Things.identity(pki, "thing-key-311-qos");
    try (PlainSubscriber subscriber = new PlainSubscriber(broker.plainPort, "channels/chan-q/messages");
        Transport transport = mqtt(Mqtt3Transport::new, thing, broker.tlsPort)) {
      transport.connect();
      for (int qos = 0; qos <= 2; qos++) {
        transport.publish("chan-q", null, SENML, Transport.SENML_JSON, qos, false);
        assertThat(subscriber.next(Duration.ofSeconds(5)).payload()).isEqualTo(SENML);
      }
    }
  }

  @Test
  void bothVersionsReceiveWhatTheySubscribedTo() throws Exception {
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      ThingIdentity thing = Things.identity(pki, "thing-sub");
      CompletableFuture<ReceivedMessage> got = new CompletableFuture<>();
      try (PlainSubscriber platform = new PlainSubscriber(broker.plainPort, "unused/topic");
          Transport transport = mqtt(kind, thing, broker.tlsPort)) {
        transport.connect();
        transport.subscribe("chan-down", null, 1, got::complete);
        platform.publish("channels/chan-down/messages", SENML);
        ReceivedMessage message = got.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(message.topic()).isEqualTo("channels/chan-down/messages");
        assertThat(message.payload()).isEqualTo(SENML);
      }
    }
  }

  @Test
  void aCertificateFromAnotherCaIsUnknownCa_overTls13AndOverTls12() {
    TestPki other = TestPki.create(dir.resolve("other-ca"), "some other CA");
    ThingIdentity stranger = Things.identity(other, "stranger");
    // Under TLS 1.2 (Cybus) mosquitto refuses the certificate and resets the connection while the
    // JDK still writes the rest of its flight: the alert came second to a broken pipe.
    TlsSettings tls12 = TlsSettings.builder().caBundle(pki.caFile()).versions("TLSv1.2").build();
    for (TlsSettings settings : List.of(tls, tls12)) {
      for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
        try (Transport transport = mqtt(kind, stranger, "localhost", broker.tlsPort, settings)) {
          assertThatThrownBy(transport::connect)
              .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.UNKNOWN_CA))
              .hasMessageStartingWith("unknown CA: the server does not trust this thing's certificate issuer");
        }
      }
    }
  }

  @Test
  void anExpiredCertificateIsRefusedByTheServerWhenNotCheckedFirst() {
    ThingIdentity expired = ThingIdentity.builder().certifiedKey(Things.expired(pki, "expired-thing")).skipValidityCheck().build();
    try (Transport transport = mqtt(Mqtt3Transport::new, expired, broker.tlsPort)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CERT_EXPIRED));
    }
  }

  @Test
  void aServerCertificateFromAnUnknownCaIsNotTrusted_evenWhenThatCaHasTheTrustedOnesName() {
    // With another name the JDK finds no path; with the same name it finds one whose signature fails,
    // and words its own refusal "(bad_certificate) PKIX path validation failed": not the server's alert.
    for (String name : List.of("a CA the broker does not use", "thingstorm test CA")) {
      TestPki other = TestPki.create(dir.resolve("other-trust-" + name.length()), name);
      TlsSettings wrongTrust = TlsSettings.builder().caBundle(other.caFile()).build();
      try (Transport transport = mqtt(Mqtt3Transport::new, Things.identity(pki, "t"), "localhost", broker.tlsPort, wrongTrust)) {
        assertThatThrownBy(transport::connect).as(name)
            .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_UNTRUSTED));
      }
    }
  }

  @Test
  void aServerCertificateForAnotherHostIsAHostnameMismatch() {
    CertifiedKey otherHost = pki.ca.issueServer("otherhost", List.of("otherhost"), List.of(), KeyType.EC_P256, 30);
    CaDirectory.at(dir).write("otherhost", otherHost, KeyFormat.PKCS8, null, false);
    try (Mosquitto misnamed = Mosquitto.start(dir, pki.caFile(), pki.certFile("otherhost"), pki.keyFile("otherhost"))) {
      ThingIdentity thing = Things.identity(pki, "thing-host");
      for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
        try (Transport transport = mqtt(kind, thing, misnamed.tlsPort)) {
          assertThatThrownBy(transport::connect)
              .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH));
        }
      }
      // The explicit insecure switch accepts it.
      TlsSettings insecure = tls.newBuilder().insecureSkipHostnameVerification().build();
      try (Transport transport = mqtt(Mqtt3Transport::new, thing, "localhost", misnamed.tlsPort, insecure)) {
        transport.connect();
        assertThat(transport.isConnected()).isTrue();
      }
    }
  }

  @Test
  void anExpiredServerCertificateIsNamedAsSuch() {
    java.time.Instant now = java.time.Instant.now();
    CertifiedKey expired = pki.ca.issue(io.thingstorm.certs.CertificateSpec.builder(io.thingstorm.certs.CertificateRole.SERVER)
        .commonName("localhost").dnsName("localhost").validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).build(),
        KeyType.EC_P256);
    CaDirectory.at(dir).write("expired-server", expired, KeyFormat.PKCS8, null, false);
    try (Mosquitto stale = Mosquitto.start(dir, pki.caFile(), pki.certFile("expired-server"), pki.keyFile("expired-server"));
        Transport transport = mqtt(Mqtt3Transport::new, Things.identity(pki, "t"), stale.tlsPort)) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.SERVER_CERT_INVALID));
    }
  }

  @Test
  void nothingListeningIsConnectionRefused() {
    try (Transport transport = mqtt(Mqtt3Transport::new, Things.identity(pki, "t"), io.thingstorm.testing.FreePort.next())) {
      assertThatThrownBy(transport::connect)
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONNECTION_REFUSED));
    }
  }

  @Test
  void closeReturnsPromptlyAfterTheReadTimeoutWasLifted() {
    ThingIdentity thing = Things.identity(pki, "thing-close");
    for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
      Transport transport = mqtt(kind, thing, broker.tlsPort);
      transport.connect();
      long start = System.nanoTime();
      transport.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(transport.isConnected()).isFalse();
    }
  }

  @Test
  void idleDevicesPingOnTheSharedTicksAndKeepTheirConnections() throws InterruptedException {
    // mosquitto drops a client that sends nothing for 1.5 keep-alives (4.5 s here); debug logging shows each PINGREQ.
    try (Mosquitto chatty = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey()).globalLine("log_type debug").start()) {
      List<Transport> devices = List.of(
          keepAlive3s(Mqtt3Transport::new, Things.identity(pki, "idle-311"), chatty.tlsPort),
          keepAlive3s(Mqtt5Transport::new, Things.identity(pki, "idle-5"), chatty.tlsPort));
      List<DeviceException> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (Transport device : devices) {
        device.onConnectionLost(lost::add);
        device.connect();
      }
      Thread.sleep(10_000);

      for (Transport device : devices) {
        assertThat(device.isConnected()).isTrue();
        device.publish("chan-idle", null, SENML, Transport.SENML_JSON, 1, false);
        device.close();
      }
      assertThat(lost).isEmpty();
      String log = chatty.log();
      assertThat(log).doesNotContain("exceeded timeout");
      // A ping every 3 s, each at most one tick (3/8 s at this keep-alive) late: 3 in 10 s, 2 on a slow machine.
      for (String client : List.of("idle-311", "idle-5")) {
        assertThat(log.lines().filter(l -> l.contains("Received PINGREQ from pinging-" + client))).hasSizeBetween(2, 4);
      }
    }
  }

  private static Transport keepAlive3s(Function<TransportConfig, Transport> kind, ThingIdentity identity, int port) {
    return kind.apply(TransportConfig.builder()
        .url(URI.create("mqtts://localhost:" + port))
        .identity(identity)
        .tls(tls.forIdentity(identity))
        .clientId("pinging-" + identity.thingKey())
        .keepAliveSeconds(3)
        .connectTimeout(Duration.ofSeconds(5))
        .build());
  }

  @Test
  void mqttDevicesConnectFromTheLocalAddressGiven() throws Exception {
    List<Function<TransportConfig, Transport>> kinds = List.of(Mqtt3Transport::new, Mqtt5Transport::new);
    String[] from = {"127.0.0.2", "127.0.0.3"};
    for (int i = 0; i < 2; i++) {
      ThingIdentity thing = Things.identity(pki, "thing-from-" + i);
      try (Transport transport = kinds.get(i).apply(TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
          .identity(thing).tls(tls.forIdentity(thing)).connectTimeout(Duration.ofSeconds(5))
          .localAddress(java.net.InetAddress.getByName(from[i])).build())) {
        transport.connect();
        assertThat(transport.isConnected()).isTrue();
      }
    }
    assertThat(broker.log()).contains("New connection from 127.0.0.2:").contains("New connection from 127.0.0.3:");
  }

  @Test
  void connectedDevicesWaitForTheBrokerWithoutReadTimeouts(@TempDir Path recordings) throws Exception {
    // Paho's 1 s read timeout, left on the read it starts after CONNACK, threw a
    // SocketTimeoutException a second after each connect. JFR sees every exception made.
    List<String> timeouts;
    try (var exceptions = new jdk.jfr.Recording()) {
      exceptions.enable("jdk.JavaExceptionThrow").withStackTrace();
      ThingIdentity thing3 = Things.identity(pki, "thing-quiet-3");
      ThingIdentity thing5 = Things.identity(pki, "thing-quiet-5");
      try (Transport v3 = mqtt(Mqtt3Transport::new, thing3, broker.tlsPort);
          Transport v5 = mqtt(Mqtt5Transport::new, thing5, broker.tlsPort)) {
        exceptions.start();
        v3.connect();
        v5.connect();
        Thread.sleep(2_500); // past Paho's 1 s timeout, twice
        exceptions.stop();
        v3.publish("quiet", null, SENML, Transport.SENML_JSON, 1, false); // their receivers still read
        v5.publish("quiet", null, SENML, Transport.SENML_JSON, 1, false);
      }
      Path file = recordings.resolve("exceptions.jfr");
      exceptions.dump(file);
      timeouts = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
          .filter(event -> event.getClass("thrownClass").getName().equals(java.net.SocketTimeoutException.class.getName()))
          .map(event -> event.getStackTrace().getFrames().stream().limit(12)
              .map(frame -> frame.getMethod().getType().getName() + "." + frame.getMethod().getName())
              .collect(java.util.stream.Collectors.joining(" < ")))
          .toList();
    }
    assertThat(timeouts).as("read timeouts while two devices connected and sat idle").isEmpty();
  }
}
