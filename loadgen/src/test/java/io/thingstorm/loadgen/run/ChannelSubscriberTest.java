package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.client.Backoff;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.Transports;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.loadgen.fleet.FleetIdentities;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.scenario.PayloadTemplate;
import io.thingstorm.testbed.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's subscriber on a channel that others publish to as well, on the embedded testbed: alice
 * is this run's device, carol another shard's, on the same channel. The subscriber counts alice's
 * messages only.
 */
class ChannelSubscriberTest {
  private static final PayloadTemplate TEMPLATE = PayloadTemplate.compile(PayloadTemplate.DEFAULT_RECORDS, SenmlFormat.JSON, 0);

  @TempDir Path dir;
  private Testbed testbed;
  private Endpoints endpoints;
  private ThingIdentity alice;
  private ThingIdentity carol;
  private String channel;
  private RunRecorder recorder;

  @BeforeEach
  void start() {
    testbed = Testbed.builder().dir(dir.resolve("testbed")).generateThings(3).channels(2).build().start();
    List<ThingIdentity> things = FleetIdentities.read(testbed.identities()); // the 1st and 3rd share a channel
    alice = things.get(0);
    carol = things.get(2);
    channel = testbed.identities().get(0).thing().channelId();
    endpoints = new Endpoints(testbed.mqttUrl(), testbed.httpsUrl(), testbed.wsUrl(),
        TlsSettings.builder().caBundle(testbed.caFile()).build(), PlatformProfile.mainflux(), List.of());
    recorder = RunRecorder.start(dir.resolve("out"));
  }

  @AfterEach
  void stop() {
    recorder.close();
    testbed.close();
  }

  @Test
  void aLostSubscriberRetriesWithTheDevicesJitter_butNeverWaitsMoreThanASecond() {
    Backoff devices = new Backoff(Duration.ofMillis(125), Duration.ofSeconds(30), 2.0, 0.5);

    Backoff retries = ChannelSubscriber.retries(devices);

    assertThat(retries).isEqualTo(new Backoff(Duration.ofMillis(125), Duration.ofSeconds(1), 2.0, 0.5));
    assertThat(ChannelSubscriber.retries(null)).isEqualTo(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 0.5));
    for (int attempt = 0; attempt < 20; attempt++) {
      assertThat(retries.delay(attempt)).isBetween(Duration.ofMillis(62), Duration.ofSeconds(1));
    }
  }

  @Test
  void messagesOfAnotherShardOnTheChannelAreLeftOut() throws Exception {
    CountedSenders senders = CountedSenders.of(TEMPLATE, List.of(alice.thingId()));
    try (ChannelSubscriber subscriber = new ChannelSubscriber(alice, channel, 0, true, senders, endpoints,
        DeviceOptions.defaults(), recorder);
        Transport mine = connected(alice, "mine"); Transport theirs = connected(carol, "theirs")) {
      assertThat(subscriber.start(1)).isTrue();

      for (int i = 0; i < 3; i++) publish(mine, alice, i, false);
      for (int i = 0; i < 2; i++) publish(theirs, carol, i, false);

      awaitArrivals(() -> recorder.receivedSoFar() + senders.foreign() >= 5);
      assertThat(recorder.receivedSoFar()).isEqualTo(3);
      assertThat(senders.foreign()).isEqualTo(2);
    }
  }

  /** A run with mqtt.retained left its devices' last messages on the broker: a later run's subscriber gets them first. */
  @Test
  void retainedMessagesOfAnEarlierRunAreLeftOut() throws Exception {
    CountedSenders senders = CountedSenders.of(TEMPLATE, List.of(alice.thingId()));
    try (Transport earlierRun = connected(alice, "earlier")) {
      publish(earlierRun, alice, 0, true);
    }
    try (ChannelSubscriber subscriber = new ChannelSubscriber(alice, channel, 0, true, senders, endpoints,
        DeviceOptions.defaults(), recorder);
        Transport thisRun = connected(alice, "now")) {
      assertThat(subscriber.start(1)).isTrue();
      awaitArrivals(() -> subscriber.retainedLeftOut() >= 1);

      publish(thisRun, alice, 1, false);

      awaitArrivals(() -> recorder.receivedSoFar() >= 1);
      assertThat(recorder.receivedSoFar()).isEqualTo(1);
      assertThat(subscriber.retainedLeftOut()).isEqualTo(1);
    }
  }

  private Transport connected(ThingIdentity thing, String name) {
    Transport transport = Transports.create(TransportConfig.builder()
        .url(endpoints.mqtt()).identity(thing).tls(endpoints.tls().forIdentity(thing)).profile(endpoints.profile())
        .clientId(TransportConfig.defaultClientId(thing) + "-" + name).build(), 3);
    transport.connect();
    return transport;
  }

  /** A message as a device of the run writes it, under the subtopic of its protocol. */
  private void publish(Transport transport, ThingIdentity thing, int counter, boolean retained) {
    byte[] payload = TEMPLATE.render(thing.thingId(), counter, Instant.now(), new Random(counter));
    transport.publish(channel, "mqtt3", payload, "application/senml+json", 1, retained);
  }

  /** Waits up to 5 s for the arrivals, then 200 ms more for any that should not come. */
  private static void awaitArrivals(java.util.function.BooleanSupplier arrived) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (!arrived.getAsBoolean() && System.nanoTime() < end) Thread.sleep(20);
    Thread.sleep(200);
  }
}
