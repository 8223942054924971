package io.thingstorm.loadgen.run;

import io.thingstorm.client.Backoff;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.Transports;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.senml.SenmlRecord;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.report.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * An MQTT subscriber to one channel's messages from the fleet on the platform: it counts what
 * arrives, by the protocol the message was sent with, and measures end-to-end latency.
 *
 * <p>End-to-end latency is arrival time minus the SenML time of the message's first record
 * ({@code bt + t}, the template's {@code ${time}}, rendered when the message was sent). This was
 * chosen over a table of send times kept by the generator because it survives what such a table
 * cannot: messages of other shards (other processes, other machines), duplicates, and payloads
 * that arrive after the publisher gave up. Messages of other senders (other shards, other clients
 * of the channel) are left out, told by the thing their {@code bn} names ({@link CountedSenders}).
 * Retained messages that the broker delivers on subscribing, kept from earlier runs, are left out
 * too. A subscriber that loses its connection (a broker restarted) connects and subscribes again,
 * once a second until it can; what was published meanwhile never reaches it (its session is new),
 * and the run's note says so. Its price: millisecond resolution (the template writes
 * milliseconds), and across machines the clocks' offset adds in. A message whose first record has
 * no absolute time is counted but not timed.
 *
 * <p>The sender's protocol travels in the topic: devices publish under the subtopic named after
 * their protocol ({@code channels/<id>/messages/mqtt3}), and the subscriber subscribes to those four
 * subtopics, not to {@code #}. A warmup phase's messages, under {@code warmup}, are then never sent
 * to it: given them, a subscriber slower than the fleet was still working through the warm-up's
 * backlog when the counted messages came, and timed its own drain as their end-to-end latency.
 */
public final class ChannelSubscriber implements AutoCloseable {
  /** What subscriber connections are recorded as (connect latency, failures); thresholds leave them out. */
  public static final String PROTOCOL = RunReport.SUBSCRIBER;
  private static final List<String> PROTOCOLS = List.of("mqtt3", "mqtt5", "https", "wss");
  /** SenML: times below 2^28 are relative to now, not epoch seconds. */
  private static final double RELATIVE_TIME_LIMIT = 268_435_456;
  private static final Duration MOST_BETWEEN_TRIES = Duration.ofSeconds(1);

  private final String channel;
  private final boolean counts;
  private final CountedSenders senders;
  private final LongAdder retained = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private volatile boolean closed;
  private volatile int qos;
  private final TransportConfig config;
  private final Backoff retries;
  private final RunRecorder recorder;
  private volatile Transport transport;

  /**
   * @param number unique among the run's subscribers: it makes the client id
   * @param counts whether this subscriber's arrivals count as the platform's deliveries (one
   *     subscriber per channel does; the others measure latency only, so received is not multiplied)
   * @param senders whose messages count and are timed: this run's devices'
   */
  public ChannelSubscriber(ThingIdentity identity, String channel, int number, boolean counts, CountedSenders senders,
      Endpoints endpoints, DeviceOptions options, RunRecorder recorder) {
    this.channel = channel;
    this.counts = counts;
    this.senders = senders;
    this.recorder = recorder;
    this.config = TransportConfig.builder()
        .url(endpoints.mqtt())
        .identity(identity)
        .tls(endpoints.tls().forIdentity(identity))
        .profile(endpoints.profile().withThingWildcard())
        // Its own session beside the thing's device and beside the subscribers of the thing's other channels.
        .clientId(TransportConfig.defaultClientId(identity) + "-sub-" + number)
        .connectTimeout(options.connectTimeout())
        .ackTimeout(options.ackTimeout())
        .keepAliveSeconds(options.keepAliveSeconds())
        .cleanStart(true)
        .build();
    this.retries = retries(options.reconnect());
  }

  /**
   * The devices' backoff, jitter and all (a thousand channels' subscribers do not come back in step),
   * but never more than a second between tries: the subscriber is the run's instrument, and each
   * second it is away, what the devices send shows as the platform's loss.
   */
  static Backoff retries(Backoff devices) {
    Backoff base = devices != null ? devices : Backoff.standard();
    Duration initial = base.initial().compareTo(MOST_BETWEEN_TRIES) < 0 ? base.initial() : MOST_BETWEEN_TRIES;
    Duration most = base.max().compareTo(MOST_BETWEEN_TRIES) < 0 ? base.max() : MOST_BETWEEN_TRIES;
    return new Backoff(initial, most, base.multiplier(), base.jitter());
  }

  /** Connects and subscribes; false (and the failure recorded) when the platform refuses. */
  public boolean start(int qos) {
    this.qos = qos;
    return connect();
  }

  private boolean connect() {
    long t0 = System.nanoTime();
    Transport fresh = Transports.create(config, 3);
    try {
      fresh.connect();
      fresh.onConnectionLost(e -> lost(fresh, e));
      for (String protocol : PROTOCOLS) fresh.subscribe(channel, protocol, qos, this::arrived);
      recorder.record(Metric.CONNECT, PROTOCOL, System.nanoTime() - t0);
      transport = fresh;
      if (closed) close(); // closed while connecting
      return true;
    } catch (RuntimeException e) {
      recorder.failure(FailureClass.of(e), PROTOCOL);
      fresh.close();
      return false;
    }
  }

  /** The connection broke (not by {@link #close}): count it, and come back on a thread of its own. */
  private void lost(Transport which, DeviceException e) {
    if (closed || transport != which) return;
    transport = null;
    lost.increment();
    recorder.failure(FailureClass.of(e), PROTOCOL);
    which.close();
    Thread.ofVirtual().name("subscriber-" + channel + "-reconnect").start(() -> {
      for (int attempt = 0; !closed; attempt++) {
        try {
          Thread.sleep(retries.delay(attempt));
        } catch (InterruptedException stop) {
          return;
        }
        if (connect()) return;
      }
    });
  }

  /** How many times its connection broke during the run (each followed by a reconnect). */
  public long connectionsLost() {
    return lost.sum();
  }

  private void arrived(ReceivedMessage message) {
    long nowMicros = epochMicros();
    if (message.retained()) {
      // What the broker kept from an earlier publish (another run's, with mqtt.retained) and hands
      // every new subscriber: not a message of this run.
      retained.increment();
      return;
    }
    SenmlPack pack = decode(message.payload());
    if (!senders.counts(pack)) {
      if (counts) senders.foreignSeen();
      return; // another shard's or client's: neither received nor timed here
    }
    String protocol = senderProtocol(message.topic());
    if (counts) recorder.received(protocol, message.payload().length);
    double sentSeconds = sentAt(pack);
    if (!Double.isNaN(sentSeconds)) {
      long latencyNanos = (nowMicros - Math.round(sentSeconds * 1e6)) * 1000;
      recorder.record(Metric.END_TO_END, protocol, Math.max(0, latencyNanos));
    }
  }

  /** The last topic level, when it names a protocol; else "unknown" (a platform that rewrites topics). */
  static String senderProtocol(String topic) {
    int slash = topic.lastIndexOf('/');
    String last = slash < 0 ? topic : topic.substring(slash + 1);
    return PROTOCOLS.contains(last) ? last : "unknown";
  }

  /** The payload as SenML, or null when it is not. */
  private static SenmlPack decode(byte[] payload) {
    try {
      return SenmlFormat.detect(payload).decode(payload);
    } catch (RuntimeException notSenml) {
      return null;
    }
  }

  /** The first record's absolute time in epoch seconds, or NaN. */
  static double sentAt(byte[] payload) {
    return sentAt(decode(payload));
  }

  private static double sentAt(SenmlPack pack) {
    if (pack == null || pack.records().isEmpty()) return Double.NaN;
    SenmlRecord first = pack.records().get(0);
    double base = first.baseTime() == null ? 0 : first.baseTime();
    double time = base + (first.time() == null ? 0 : first.time());
    return time >= RELATIVE_TIME_LIMIT ? time : Double.NaN;
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /** Retained messages the broker delivered on subscribing, left out. */
  public long retainedLeftOut() {
    return retained.sum();
  }

  public String channel() {
    return channel;
  }

  @Override
  public void close() {
    closed = true;
    Transport current = transport;
    transport = null;
    if (current != null) current.close();
  }
}
