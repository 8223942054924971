package io.thingstorm.client.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.Device;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.NamespaceSubscriber;
import io.thingstorm.testing.NetworkNamespace;
import io.thingstorm.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device client over a slow, lossy link: mosquitto in a network namespace behind a veth pair
 * that drops 5 % of packets each way and delays each by 50 ms each way. Messages published at QoS 1
 * and 2 over MQTT 3.1.1 and 5 all arrive at a subscriber inside the namespace; QoS 2 exactly once.
 */
class LossyNetworkTest {
  static final int MESSAGES = 200;
  static final int DEVICES = 5;
  /** Publishes one device has outstanding at once (Paho allows 10). */
  static final int IN_FLIGHT = 4;

  @TempDir static Path dir;
  static NetworkNamespace ns;
  static NetworkNamespace.Impairment link;
  static Mosquitto broker;
  static NamespaceSubscriber platform;
  static TestPki pki;
  static InetSocketAddress route;

  @BeforeAll
  static void spoilTheLink() {
    ns = NetworkNamespace.create();
    pki = TestPki.create(dir, "lossy CA", List.of(ns.address()));
    broker = Mosquitto.builder(dir, pki.caFile(), pki.serverCert(), pki.serverKey()).namespace(ns).start();
    platform = NamespaceSubscriber.start(ns, broker, dir, "channels/+/messages/#");
    link = ns.impair(Duration.ofMillis(50), 5);
    route = link.route(broker.tlsPort);
  }

  @AfterAll
  static void cleanUp() {
    if (platform != null) platform.close();
    if (link != null) link.close();
    if (broker != null) broker.close();
    if (ns != null) ns.close();
  }

  @Test
  void qos1AndQos2OverMqtt3And5_allArrive_qos2ExactlyOnce() throws Exception {
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).build();
    List<Callable<long[]>> runs = new ArrayList<>();
    for (int version : new int[] {3, 5}) {
      for (int qos : new int[] {1, 2}) {
        String prefix = "v" + version + "q" + qos + "-";
        for (int d = 0; d < DEVICES; d++) {
          int device = d;
          runs.add(() -> publishAll(tls, version, qos, prefix, device));
        }
      }
    }
    long buffered = 0;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<long[]> f : pool.invokeAll(runs)) buffered += f.get()[0];
    }

    StringBuilder figures = new StringBuilder("lossy link (" + link + "): ");
    for (int version : new int[] {3, 5}) {
      for (int qos : new int[] {1, 2}) {
        String prefix = "v" + version + "q" + qos + "-";
        Map<String, Integer> got = platform.await(prefix, MESSAGES, Duration.ofSeconds(30));
        int heard = got.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(got).as("distinct %s messages at the subscriber", prefix).hasSize(MESSAGES);
        if (qos == 2) assertThat(heard).as("QoS 2 duplicates").isEqualTo(MESSAGES);
        figures.append(String.format("MQTT %d QoS %d sent %d received %d duplicates %d; ", version, qos, MESSAGES, got.size(), heard - got.size()));
      }
    }
    long dropped = link.droppedPackets();
    System.out.println(figures + "buffered while reconnecting " + buffered + ", packets dropped on the link " + dropped);
    // The loss was real: the link dropped packets, and TCP and MQTT made up for it.
    assertThat(dropped).isPositive();
  }

  /** One device publishes its share from a few threads, each publish waiting for its acknowledgement; returns {buffered}. */
  private static long[] publishAll(TlsSettings tls, int version, int qos, String prefix, int device) {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing(prefix + device, KeyType.EC_P256, 30))
        .expiryListener((identity, left) -> {}).build();
    long buffered = 0;
    try (Device d = Device.builder().url("mqtts://127.0.0.1:" + route.getPort()).identity(thing).tls(tls)
        .mqttVersion(version).qos(qos).connectTimeout(Duration.ofSeconds(30)).ackTimeout(Duration.ofSeconds(30))
        .build()) {
      d.connect();
      java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
      List<Future<Object>> sent = new ArrayList<>();
      try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int t = 0; t < IN_FLIGHT; t++) {
          int first = device + t * DEVICES;
          sent.add(senders.submit(() -> {
            for (int i = first; i < MESSAGES; i += DEVICES * IN_FLIGHT) {
              if (d.publish("lossy", (prefix + i).getBytes(StandardCharsets.UTF_8)) == Device.Delivery.BUFFERED) counted.incrementAndGet();
            }
            return null;
          }));
        }
      }
      // A publish that threw ends its sender: say why, rather than count its messages as lost.
      for (Future<Object> f : sent) f.get();
      buffered = counted.get();
      // What went to the buffer while it reconnected goes out after: wait for that.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (d.buffered() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(d.dropped()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(prefix + device + ": a publish failed: " + e.getCause(), e.getCause());
    }
    return new long[] {buffered};
  }
}
