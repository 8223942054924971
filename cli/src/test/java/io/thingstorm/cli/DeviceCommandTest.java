package io.thingstorm.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code thingstorm device} against a real mosquitto, and what it says about bad input. */
class DeviceCommandTest {
  static final String SENML = "[{\"bn\":\"urn:dev:mac:0024befffe804ff1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":23.1}]";
  static final String THING_KEY = "0f4e2b7d-secret-thing-key";

  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    pki.thing("thing", THING_KEY);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  /** Captures what the library logs (the System.Logger goes to java.util.logging here). */
  static final StringBuilder LOGGED = new StringBuilder();
  /** Held: java.util.logging keeps loggers only weakly, and would drop the handler with it. */
  static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("io.thingstorm");

  static {
    LIBRARY_LOG.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        LOGGED.append(new java.util.logging.SimpleFormatter().formatMessage(record)).append('\n');
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  @AfterAll
  static void nothingLoggedTheThingKey() {
    assertThat(LOGGED.toString()).contains("expires in").doesNotContain(THING_KEY);
  }

  int run(String... args) {
    CommandLine cl = ThingstormCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  List<String> device(String command, String url, String cert, String key, String... more) {
    List<String> args = new ArrayList<>(List.of("device", command, "--url", url, "--cert", cert, "--key", key,
        "--ca", pki.caFile().toString(), "--connect-timeout", "5s"));
    args.addAll(List.of(more));
    return args;
  }

  String mqtts() {
    return "mqtts://localhost:" + broker.tlsPort;
  }

  String thingCert() {
    return pki.certFile("thing").toString();
  }

  String thingKey() {
    return pki.keyFile("thing").toString();
  }

  @Test
  void publishExitsZeroOnceAcknowledgedAndTheMessageArrives() throws Exception {
    for (String version : List.of("3", "5")) {
      CompletableFuture<String> arrived = new CompletableFuture<>();
      MqttClient platform = new MqttClient("tcp://127.0.0.1:" + broker.plainPort, "platform-" + version, new MemoryPersistence());
      platform.connect();
      platform.subscribe("channels/chan-cli/messages/+", (topic, message) -> arrived.complete(topic + " " + new String(message.getPayload(), UTF_8)));

      int exit = run(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "chan-cli", "--subtopic", "v" + version,
          "--mqtt-version", version, "--qos", "2", "--thing-id", "thing-17", "--senml", SENML).toArray(new String[0]));

      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("acknowledged");
      assertThat(arrived.get(5, TimeUnit.SECONDS)).isEqualTo("channels/chan-cli/messages/v" + version + " " + SENML);
      platform.disconnect();
      platform.close();
    }
    assertThat(out.toString() + err).doesNotContain(THING_KEY);
    // QoS 0 has no acknowledgement: the line says what is known
    int exit = run(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "chan-cli", "--qos", "0",
        "--thing-id", "thing-17", "--senml", SENML).toArray(new String[0]));
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains(": written (QoS 0: no acknowledgement)");
  }

  @Test
  void theGenericProfileTakesThePlatformsOwnTopicLayout() throws Exception {
    CompletableFuture<String> arrived = new CompletableFuture<>();
    MqttClient platform = new MqttClient("tcp://127.0.0.1:" + broker.plainPort, "platform-generic", new MemoryPersistence());
    platform.connect();
    platform.subscribe("dt/#", (topic, message) -> arrived.complete(topic));

    int exit = run(device("publish", mqtts(), thingCert(), thingKey(), "--profile", "generic", "--topic", "dt/{thing_id}/{channel}/{subtopic}",
        "--channel", "telemetry", "--subtopic", "temp", "--thing-id", "press-7", "--senml", SENML).toArray(new String[0]));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(arrived.get(5, TimeUnit.SECONDS)).isEqualTo("dt/press-7/telemetry/temp");
    platform.disconnect();
    platform.close();
    assertThat(run(device("publish", mqtts(), thingCert(), thingKey(), "--profile", "generic", "--topic", "dt/{thing}/x",
        "--channel", "c", "--senml", SENML).toArray(new String[0]))).isEqualTo(2);
    assertThat(err.toString()).contains("thingstorm: unknown placeholder {thing} in the topic template 'dt/{thing}/x' (known: {channel}, {thing_id}, {subtopic})");
    assertThat(run(device("publish", mqtts(), thingCert(), thingKey(), "--topic", "dt/{thing_id}/{subtopic}",
        "--channel", "c", "--senml", SENML).toArray(new String[0]))).isEqualTo(2);
    assertThat(err.toString()).contains("thingstorm: --topic and --path go with --profile generic");
    assertThat(run(device("publish", mqtts(), thingCert(), thingKey(), "--profile", "generic", "--topic", "dt/{thing_id}/{channel}",
        "--subtopic", "temp", "--channel", "c", "--senml", SENML).toArray(new String[0]))).isEqualTo(2);
    assertThat(err.toString()).contains("thingstorm: --subtopic temp: the template dt/{thing_id}/{channel} has no {subtopic} to put it in");
  }

  @Test
  void publishConvertsToCborWhenAsked() throws Exception {
    CompletableFuture<byte[]> arrived = new CompletableFuture<>();
    MqttClient platform = new MqttClient("tcp://127.0.0.1:" + broker.plainPort, "platform-cbor", new MemoryPersistence());
    platform.connect();
    platform.subscribe("channels/chan-cbor/messages", (topic, message) -> arrived.complete(message.getPayload()));

    Path file = Files.writeString(dir.resolve("pack.json"), SENML);
    int exit = run(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "chan-cbor", "--format", "cbor",
        "--senml-file", file.toString()).toArray(new String[0]));

    assertThat(exit).as(err.toString()).isZero();
    byte[] cbor = arrived.get(5, TimeUnit.SECONDS);
    assertThat(cbor[0] & 0xe0).as("a CBOR array").isEqualTo(0x80);
    platform.disconnect();
    platform.close();
  }

  @Test
  void subscribePrintsTopicAndPayload() throws Exception {
    MqttClient platform = new MqttClient("tcp://127.0.0.1:" + broker.plainPort, "platform-sub", new MemoryPersistence());
    platform.connect();
    MqttMessage retained = new MqttMessage(SENML.getBytes(UTF_8));
    retained.setRetained(true);
    platform.publish("channels/chan-down/messages", retained);

    int exit = run(device("subscribe", mqtts(), thingCert(), thingKey(), "--channel", "chan-down", "--count", "1",
        "--timeout", "10s").toArray(new String[0]));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("channels/chan-down/messages " + SENML + "\n");
    platform.disconnect();
    platform.close();
  }

  @Test
  void aPublishWithTheSubscribersOwnIdentityDoesNotTakeItsSession() throws Exception {
    StringWriter subscriberOut = new StringWriter();
    StringWriter subscriberErr = new StringWriter();
    CompletableFuture<Integer> subscriber = CompletableFuture.supplyAsync(() -> {
      CommandLine cl = ThingstormCommand.commandLine();
      cl.setOut(new PrintWriter(subscriberOut, true));
      cl.setErr(new PrintWriter(subscriberErr, true));
      return cl.execute(device("subscribe", mqtts(), thingCert(), thingKey(), "--channel", "chan-shared", "--count", "1",
          "--timeout", "20s").toArray(new String[0]));
    });

    // Until the subscriber has one: the first publishes may come before it has subscribed.
    for (int i = 0; i < 40 && !subscriber.isDone(); i++) {
      assertThat(run(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "chan-shared", "--senml", SENML)
          .toArray(new String[0]))).as(err.toString()).isZero();
      Thread.sleep(250);
    }

    assertThat(subscriber.get(25, TimeUnit.SECONDS)).as(subscriberErr.toString()).isZero();
    assertThat(subscriberOut.toString()).isEqualTo("channels/chan-shared/messages " + SENML + "\n");
    assertThat(subscriberErr.toString()).doesNotContain("connection lost");
  }

  @Test
  void aCertificateFromAnotherCaIsOneLineNamingUnknownCa() {
    TestPki other = TestPki.create(dir.resolve("other"), "another CA");
    other.thing("stranger", THING_KEY);
    int exit = run(device("publish", mqtts(), other.certFile("stranger").toString(), other.keyFile("stranger").toString(),
        "--channel", "c", "--senml", SENML).toArray(new String[0]));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("thingstorm: unknown CA: the server does not trust this thing's certificate issuer")
        .hasLineCount(1).doesNotContain(THING_KEY);
  }

  @Test
  void badInputIsOneLineAndANonZeroExit() throws Exception {
    Path garbled = Files.writeString(dir.resolve("garbled.crt"), "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n");
    CertifiedKey thing = pki.ca.issueThing("locked-thing", io.thingstorm.certs.KeyType.EC_P256, 90);
    Path lockedKey = Files.writeString(dir.resolve("locked.key"), Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, "right".toCharArray()));
    Path lockedCert = Files.writeString(dir.resolve("locked.crt"), Pem.certificates(thing.chain()));

    record Case(List<String> args, int exit, String says) {}
    List<Case> cases = List.of(
        new Case(device("publish", mqtts(), dir.resolve("missing.crt").toString(), thingKey(), "--channel", "c", "--senml", SENML), 1, "no such file"),
        new Case(device("publish", mqtts(), garbled.toString(), thingKey(), "--channel", "c", "--senml", SENML), 1, "damaged PEM"),
        new Case(device("publish", mqtts(), thingCert(), thingCert(), "--channel", "c", "--senml", SENML), 1, "holds no PEM private key"),
        new Case(device("publish", mqtts(), lockedCert.toString(), lockedKey.toString(), "--key-password", "wrong", "--channel", "c", "--senml", SENML), 1, "wrong password"),
        new Case(device("publish", mqtts(), pki.certFile("thing").toString(), pki.serverKey().toString(), "--channel", "c", "--senml", SENML), 1, "key does not match certificate"),
        new Case(device("publish", "mqtt://localhost:1883", thingCert(), thingKey(), "--channel", "c", "--senml", SENML), 2, "unknown URL scheme 'mqtt'"),
        new Case(device("publish", "mqtts://localhost:99999", thingCert(), thingKey(), "--channel", "c", "--senml", SENML), 2, "ports go up to 65535"),
        new Case(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "c", "--senml", "[{\"n\":\"x\"}]"), 1, ""),
        new Case(device("publish", mqtts(), thingCert(), thingKey(), "--channel", "c", "--senml", "not senml"), 1, "not SenML"),
        new Case(device("subscribe", mqtts(), thingCert(), thingKey(), "--channel", "c", "--count", "-1"), 2, "--count must be 0 (no limit) or more, not -1"),
        new Case(device("subscribe", mqtts(), thingCert(), thingKey(), "--channel", "c", "--count", "1", "--timeout", "0s"), 2,
            "--timeout must be longer than 0, not 0s"));
    for (Case c : cases) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      int exit = run(c.args().toArray(new String[0]));
      assertThat(exit).as(c.args() + " -> " + err).isEqualTo(c.exit());
      String firstLine = err.toString().lines().findFirst().orElse("");
      assertThat(firstLine).as(c.args().toString()).startsWith("thingstorm: ").contains(c.says());
      if (c.exit() == 1) assertThat(err.toString()).as(c.args().toString()).hasLineCount(1);
      assertThat(err.toString()).doesNotContain("Exception").doesNotContain(THING_KEY);
    }
  }
}
