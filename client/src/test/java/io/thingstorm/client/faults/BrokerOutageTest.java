package io.thingstorm.client.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.Backoff;
import io.thingstorm.client.Device;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mosquitto (persistence on) stops in the middle and comes back 5 s later on the same port. The
 * devices reconnect with backoff and jitter, no faster than it allows; each offline buffer keeps its
 * newest 20 messages and counts the rest as dropped; subscribers with persistent sessions (MQTT 3.1.1
 * clean session off, MQTT 5 session expiry) get the QoS 1 messages published while they were away.
 */
class BrokerOutageTest {
  static final int DEVICES = 10;
  static final int ONLINE = 5;
  static final int OFFLINE = 30;
  static final int BUFFER = 20;
  static final int INBOX = 10;
  static final Duration OUTAGE = Duration.ofSeconds(5);
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2), 2, 0.5);

  @TempDir Path dir;

  @Test
  void devicesComeBackWithBackoff_buffersKeepTheNewest_persistentSessionsGetTheirMessages() throws Exception {
    TestPki pki = TestPki.create(dir);
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).build();
    try (Mosquitto broker = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey()).persistent().start()) {
      String url = "mqtts://localhost:" + broker.tlsPort;
      SessionCounter counter = SessionCounter.connect(broker.plainPort);
      List<Device> devices = new ArrayList<>();
      List<List<Long>> failureTimes = new ArrayList<>();
      List<Device> inboxes = new ArrayList<>();
      List<Set<String>> inboxMessages = new ArrayList<>();
      try {
        for (int i = 0; i < DEVICES; i++) {
          List<Long> times = new CopyOnWriteArrayList<>();
          failureTimes.add(times);
          Device device = Device.builder().url(url).identity(thing(pki, "outage-" + i)).tls(tls).mqttVersion(i % 2 == 0 ? 3 : 5)
              .backoff(BACKOFF).offlineBuffer(BUFFER).onFailure(f -> times.add(System.nanoTime())).build();
          devices.add(device);
        }
        try (var connecting = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
          devices.forEach(d -> connecting.submit(d::connect));
        }
        // Persistent subscribers that come back only 8 s after the broker went: what is published to them meanwhile waits.
        for (int version : new int[] {3, 5}) {
          Set<String> got = ConcurrentHashMap.newKeySet();
          inboxMessages.add(got);
          Device inbox = Device.builder().url(url).identity(thing(pki, "inbox-v" + version)).tls(tls).mqttVersion(version)
              .clientId("inbox-v" + version).cleanStart(false).sessionExpiry(Duration.ofMinutes(5))
              .backoff(new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(4), 1, 0)).build();
          inboxes.add(inbox);
          inbox.subscribe("inbox", null, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < DEVICES; i++) {
          for (int n = 0; n < ONLINE; n++) assertThat(devices.get(i).publish("outage", payload(i, n))).isEqualTo(Device.Delivery.ACKNOWLEDGED);
        }
        counter.awaitDistinct(DEVICES * ONLINE, Duration.ofSeconds(10));
        counter.close();

        long stoppedAt = System.nanoTime();
        broker.stop();
        for (int i = 0; i < DEVICES; i++) {
          for (int n = ONLINE; n < ONLINE + OFFLINE; n++) assertThat(devices.get(i).publish("outage", payload(i, n))).isEqualTo(Device.Delivery.BUFFERED);
        }
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
        int logBefore = broker.log().length();
        broker.restart();
        long backAt = System.nanoTime();
        try (SessionCounter publisher = SessionCounter.connect(broker.plainPort, "inbox-publisher", true)) {
          for (int n = 0; n < INBOX; n++) publisher.publish("channels/inbox/messages", "inbox-" + n);
        }
        SessionCounter again = SessionCounter.connect(broker.plainPort);

        // Every device back, its buffer sent: the 5 online and the newest 20 offline messages, not the oldest 10.
        await(() -> devices.stream().allMatch(d -> d.isConnected() && d.buffered() == 0), Duration.ofSeconds(15));
        Map<String, Integer> heard = again.awaitDistinct(DEVICES * BUFFER, Duration.ofSeconds(10));
        heard.putAll(counter.received());
        assertThat(heard).hasSize(DEVICES * (ONLINE + BUFFER));
        for (int i = 0; i < DEVICES; i++) {
          Device d = devices.get(i);
          assertThat(d.dropped()).as("dropped by device %d", i).isEqualTo(OFFLINE - BUFFER);
          assertThat(d.reconnects()).as("reconnects of device %d", i).isEqualTo(1);
          for (int n = ONLINE; n < ONLINE + OFFLINE - BUFFER; n++) assertThat(heard).doesNotContainKey(new String(payload(i, n)));
          assertThat(d.lastFailure().kind()).isIn(FailureKind.CONNECTION_REFUSED, FailureKind.CONNECTION_LOST);
        }

        // No storm: each device waited out its backoff between attempts (the least delay of the first
        // retry is 250 ms, and it doubles), so a 5 s outage holds a handful of attempts, not hundreds.
        int attempts = 0;
        for (List<Long> times : failureTimes) {
          attempts += times.size();
          assertThat(times.size()).as("failed attempts of one device in a 5 s outage").isBetween(2, 8);
          for (int k = 1; k < times.size(); k++) assertThat(times.get(k) - times.get(k - 1)).isGreaterThan(200_000_000L);
        }
        // At the broker: the connections opened once it was back are the clients coming back, one each,
        // and not a burst of retries.
        long connectionsAfter = broker.log().substring(logBefore).lines().filter(l -> l.contains("New connection from")).count();
        assertThat(connectionsAfter).isLessThanOrEqualTo(DEVICES + inboxes.size() + 2 + DEVICES);

        // The persistent sessions kept their subscriptions and got what was published while they were away.
        await(() -> inboxMessages.stream().allMatch(s -> s.size() == INBOX), Duration.ofSeconds(10));
        long backIn = (System.nanoTime() - backAt) / 1_000_000;
        System.out.printf("broker outage %d ms: %d devices sent %d online, buffered %d each (%d kept, %d dropped each), "
                + "%d failed reconnect attempts in all, %d reconnects, %d new connections at the broker after it was back, "
                + "persistent v3 and v5 inboxes got %d and %d of %d; all back %d ms after the broker%n",
            (backAt - stoppedAt) / 1_000_000, DEVICES, DEVICES * ONLINE, OFFLINE, BUFFER, OFFLINE - BUFFER, attempts,
            devices.stream().mapToLong(Device::reconnects).sum(), connectionsAfter, inboxMessages.get(0).size(),
            inboxMessages.get(1).size(), INBOX, backIn);
        again.close();
      } finally {
        devices.forEach(Device::close);
        inboxes.forEach(Device::close);
      }
    }
  }

  private static byte[] payload(int device, int n) {
    return ("d" + device + "-m" + n).getBytes(StandardCharsets.UTF_8);
  }

  private static ThingIdentity thing(TestPki pki, String key) {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing(key, KeyType.EC_P256, 30)).expiryListener((i, left) -> {}).build();
  }

  static void await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
      Thread.sleep(50);
    }
  }

  /** A Paho subscriber on the plain listener with a persistent session: counts every payload it hears. */
  static final class SessionCounter implements MqttCallback, AutoCloseable {
    private final MqttClient client;
    private final Map<String, Integer> received = new ConcurrentHashMap<>();

    private SessionCounter(MqttClient client) {
      this.client = client;
    }

    static SessionCounter connect(int port) throws MqttException {
      return connect(port, "outage-counter", false);
    }

    static SessionCounter connect(int port, String clientId, boolean clean) throws MqttException {
      MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
      SessionCounter counter = new SessionCounter(client);
      client.setCallback(counter);
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(clean);
      client.connect(options);
      if (!clean) client.subscribe("channels/outage/messages", 1);
      return counter;
    }

    void publish(String topic, String payload) throws MqttException {
      client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    Map<String, Integer> received() {
      return new ConcurrentHashMap<>(received);
    }

    Map<String, Integer> awaitDistinct(int expected, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (received.size() < expected && System.nanoTime() < deadline) Thread.sleep(50);
      return received();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      received.merge(new String(message.getPayload(), StandardCharsets.UTF_8), 1, Integer::sum);
    }

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}

    @Override
    public void close() {
      try {
        if (client.isConnected()) client.disconnect();
        client.close();
      } catch (MqttException ignored) {
        // the test is over
      }
    }
  }
}
