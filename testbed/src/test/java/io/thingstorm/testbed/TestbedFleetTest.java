package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet: 1,000 distinct things, each with its own certificate, connect over MQTTS and publish. */
class TestbedFleetTest {
  static final int THINGS = 1_000;
  /** Paho 3 runs 4 platform threads per connected client: 50 at a time keeps that to a few hundred. */
  static final int AT_ONCE = 50;

  @TempDir static Path dir;
  static Testbed testbed;

  @BeforeAll
  static void start() {
    testbed = Testbed.builder().dir(dir).generateThings(THINGS).channels(10).build().start();
  }

  @AfterAll
  static void stop() {
    if (testbed != null) testbed.close();
  }

  @Test
  void aThousandThingsConnectWithTheirOwnCertificatesAndPublish() throws Exception {
    List<ManifestEntry> fleet = testbed.identities();
    assertThat(fleet).hasSize(THINGS);
    ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (ManifestEntry thing : fleet) {
        done.add(pool.submit(() -> {
          MqttClient client = Paho.connect(testbed, thing);
          client.publish("channels/" + thing.thing().channelId() + "/messages",
              ("[{\"n\":\"" + thing.thing().thingId() + "\",\"v\":1}]").getBytes(StandardCharsets.UTF_8), 1, false);
          client.disconnect();
          client.close();
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
    CountsSnapshot counts = testbed.counts();
    assertThat(counts.protocol(Protocol.MQTT).messages()).isEqualTo(THINGS);
    assertThat(counts.thingsHeardFrom()).isEqualTo(THINGS);
    assertThat(counts.total().totalRefusals()).isZero();
    assertThat(testbed.droppedMessages()).isZero();
    assertThat(testbed.forwardedMessages()).as("no one subscribed: the broker forwarded nothing").isZero();
    fleet.forEach(t -> assertThat(counts.thing(t.thing().thingId()).messages()).isEqualTo(1));
  }
}
