package io.thingstorm.loadgen.run;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.Transports;
import io.thingstorm.client.tls.BoundSocketFactory;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * One device of the fleet: a thing's identity speaking one protocol to one channel. It connects,
 * publishes and disconnects when the engine says so, from whatever virtual thread it is given, and
 * records every outcome; a failure is counted by class, never thrown.
 *
 * <p>What "connect" is per protocol: MQTT opens the session (TCP, TLS, CONNECT, CONNACK), and
 * its steps are timed apart too (tcp, handshake, session). WSS opens the channel's WebSocket (TCP,
 * TLS, upgrade: one figure). HTTPS has no session: the device opens a TLS connection (TCP connect
 * and handshake timed apart) and closes it, and OkHttp's first request resumes that session.
 *
 * <p>A connection the platform drops (broker gone, network down) is counted under its class, and
 * the device connects again by itself, waiting out {@link DeviceOptions#reconnect()} between
 * attempts; each failed attempt is counted too, so that an outage shows as errors over time. A
 * device the engine disconnected stays so.
 */
public final class SimulatedDevice {
  private static final int PAHO_MAX_INFLIGHT = 32202;
  private static final Executor RETRY_SHORTLY = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
  /*
   * An HTTPS or WSS device keeps at most this many requests or frames under way: each is a blocking
   * call on a thread of its own, and a real device has one connection.
   */
  private static final int HTTP_IN_FLIGHT = 8;

  private final int index;
  private final String protocol;
  private final ThingIdentity identity;
  private final List<String> channels;
  private final Endpoints endpoints;
  private final DeviceOptions options;
  private final RunRecorder recorder;

  /** Publishes under way, and how many may be: set when a connection opens (a broker may allow fewer). */
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int window;
  /** Messages due while every slot was taken, in order. */
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sendRequests = new AtomicInteger();
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicLong counter = new AtomicLong();
  private volatile ThingTls tls;
  private volatile Transport transport;
  private volatile boolean everConnected;
  /** The engine wants it connected: set by connect, cleared by disconnect. */
  private volatile boolean wanted;
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private final AtomicInteger opening = new AtomicInteger();
  private volatile Thread reconnector;
  private volatile AtomicBoolean openAttempt;
  private final AtomicBoolean due = new AtomicBoolean();
  private volatile boolean retired;
  private final FileDescriptorBudget descriptors;
  /** Whether this device holds its connection's share of the file descriptor budget. */
  private final AtomicBoolean holdsDescriptors = new AtomicBoolean();

  public SimulatedDevice(int index, String protocol, ThingIdentity identity, List<String> channels, Endpoints endpoints,
      DeviceOptions options, RunRecorder recorder) {
    this(index, protocol, identity, channels, endpoints, options, recorder, FileDescriptorBudget.unlimited());
  }

  SimulatedDevice(int index, String protocol, ThingIdentity identity, List<String> channels, Endpoints endpoints,
      DeviceOptions options, RunRecorder recorder, FileDescriptorBudget descriptors) {
    this.descriptors = descriptors;
    this.index = index;
    this.protocol = protocol;
    this.identity = identity;
    if (channels.isEmpty()) throw new IllegalArgumentException("a device needs a channel");
    this.channels = List.copyOf(channels);
    this.endpoints = endpoints;
    this.options = options;
    this.recorder = recorder;
    this.window = windowFor(Integer.MAX_VALUE);
  }

  /** The device's place in the whole fleet (all shards). */
  public int index() {
    return index;
  }

  /** mqtt3, mqtt5, https or wss. */
  public String protocol() {
    return protocol;
  }

  public ThingIdentity identity() {
    return identity;
  }

  /** The channels it publishes to, in turn. */
  public List<String> channels() {
    return channels;
  }

  /** This device's next message number, from 0; its channel is {@code channels().get(n % size)}. */
  public long nextCounter() {
    return counter.getAndIncrement();
  }

  public String channelOf(long counter) {
    return channels.get((int) (counter % channels.size()));
  }

  public boolean isConnected() {
    return connected.get();
  }

  Duration connectTimeout() {
    return options.connectTimeout();
  }

  /**
   * Connects; latency counts from {@code dueNanoTime} (System.nanoTime) so that waiting for a free
   * slot shows. Returns whether it connected; a failure is recorded under its class.
   */
  public boolean connect(long dueNanoTime) {
    if (retired) return false; // started after the run ended (a starved machine): counted by retire()
    due.set(false);
    wanted = true;
    return open(dueNanoTime);
  }

  /** A connect phase made this device's connect due: until it starts, {@link #retire} counts it. */
  void markDue() {
    due.set(true);
  }

  /**
   * The run is over: a connect that was due and never started (its thread never got to run) is
   * counted as timed out, and none starts from now on.
   */
  void retire() {
    retired = true;
    if (due.compareAndSet(true, false)) recorder.failure(FailureClass.of(FailureKind.TIMEOUT), protocol);
  }

  private boolean open(long dueNanoTime) {
    opening.incrementAndGet();
    try {
      return tryOpen(dueNanoTime);
    } finally {
      opening.decrementAndGet();
    }
  }

  /**
   * Whether a connect is still under way: one that outlived its phase (a platform answering late)
   * must end, and be counted, before the report is written.
   */
  public boolean isOpening() {
    return opening.get() > 0;
  }

  private boolean tryOpen(long dueNanoTime) {
    if (connected.get()) return true;
    // Counted once: by this attempt's end, or as a timeout by abandonConnect, whichever comes first.
    AtomicBoolean settled = new AtomicBoolean();
    openAttempt = settled;
    if (!holdsDescriptors.get()) {
      if (!descriptors.tryTake()) {
        settled.set(true);
        recorder.failure(FailureClass.of(FailureKind.TOO_MANY_OPEN_FILES), protocol);
        return false;
      }
      holdsDescriptors.set(true);
    }
    boolean resumable = everConnected && endpoints.tls().sessionResumption() && hasCachedSession();
    Transport fresh = null;
    try {
      // The SSLContext is made once per device (its session cache makes reconnects resumable),
      // on the connecting virtual thread, so that set-up cost is spread over the connect phase.
      if (tls == null) tls = endpoints.tls().forIdentity(identity);
      fresh = Transports.create(config(), protocol.equals("mqtt5") ? 5 : 3);
      switch (protocol) {
        case "https" -> probeHandshake();
        case "wss" -> {
          fresh.connect();
          // Opens each channel's WebSocket now; publishes then use them.
          for (String channel : channels) fresh.subscribe(channel, protocol, options.qos(), message -> {});
        }
        default -> fresh.connect();
      }
      long connectedAt = System.nanoTime();
      if (!settled.compareAndSet(false, true)) { // given up on and counted as timed out already
        closeQuietly(fresh);
        releaseDescriptors();
        return false;
      }
      recorder.record(Metric.CONNECT, protocol, connectedAt - dueNanoTime);
      fresh.connectTimings().ifPresent(steps -> {
        recorder.record(Metric.TCP_CONNECT, protocol, steps.tcp().toNanos());
        recorder.record(Metric.TLS_HANDSHAKE, protocol, steps.handshake().toNanos());
        recorder.record(Metric.SESSION, protocol, steps.session().toNanos());
      });
      recorder.handshake(protocol, resumable);
      if (!wanted) { // disconnected meanwhile (the run ends): counted as connected, but not left open
        closeQuietly(fresh);
        releaseDescriptors();
        return false;
      }
      window = windowFor(fresh.maxInFlight());
      transport = fresh;
      Transport mine = fresh;
      fresh.onConnectionLost(lost -> dropped(mine, lost));
      connected.set(true);
      recorder.connected(1);
      if (everConnected) recorder.reconnect();
      everConnected = true;
      return true;
    } catch (RuntimeException e) {
      if (fresh != null) closeQuietly(fresh);
      releaseDescriptors();
      if (settled.compareAndSet(false, true)) recorder.failure(FailureClass.of(e), protocol);
      return false;
    }
  }

  private void releaseDescriptors() {
    if (holdsDescriptors.compareAndSet(true, false)) descriptors.giveBack();
  }

  /**
   * Counts a connect that is still under way as timed out (the report is about to be written and
   * cannot wait longer); whatever it comes to later is not counted again.
   */
  public void abandonConnect() {
    AtomicBoolean settled = openAttempt;
    if (settled != null && isOpening() && settled.compareAndSet(false, true)) {
      recorder.failure(FailureClass.of(FailureKind.TIMEOUT), protocol);
    }
  }

  /** HTTPS: one TLS connection, TCP and handshake timed apart, then closed. */
  private void probeHandshake() {
    URI url = endpoints.https();
    int port = url.getPort() > 0 ? url.getPort() : 443;
    int timeout = (int) options.connectTimeout().toMillis();
    try (SSLSocket socket = (SSLSocket) BoundSocketFactory.of(tls.socketFactory(), endpoints.sourceAddressFor(index)).createSocket()) {
      ForwardingSslSocketFactory.toHost(socket, url.getHost());
      long t0 = System.nanoTime();
      socket.connect(new InetSocketAddress(url.getHost(), port), timeout);
      long t1 = System.nanoTime();
      socket.setSoTimeout(timeout);
      socket.startHandshake();
      long t2 = System.nanoTime();
      recorder.record(Metric.TCP_CONNECT, protocol, t1 - t0);
      recorder.record(Metric.TLS_HANDSHAKE, protocol, t2 - t1);
    } catch (IOException e) {
      DeviceException failure = io.thingstorm.client.Failures.classify(e);
      if (failure.kind() == FailureKind.CONNECTION_LOST) {
        // Under TLS 1.3 the server's certificate alert may come after the client's handshake ended.
        throw tls.diagnoseRefusal(url.getHost(), port, options.connectTimeout()).orElse(failure);
      }
      throw failure;
    }
  }

  private boolean hasCachedSession() {
    var sessions = tls == null ? null : tls.sslContext().getClientSessionContext();
    return sessions != null && sessions.getIds().hasMoreElements();
  }

  private TransportConfig config() {
    return TransportConfig.builder()
        .url(endpoints.urlFor(protocol))
        .identity(identity)
        .tls(tls)
        .profile(endpoints.profile())
        .connectTimeout(options.connectTimeout())
        .ackTimeout(options.ackTimeout())
        .keepAliveSeconds(options.keepAliveSeconds())
        // Above the device's own limit: Paho frees a slot a moment after it told of the acknowledgement.
        .maxInFlight(options.inFlightPerDevice() + options.inFlightPerDevice() / 4 + 2)
        .cleanStart(options.cleanStart())
        .localAddress(endpoints.sourceAddressFor(index))
        .build();
  }

  private void lostConnection() {
    if (connected.compareAndSet(true, false)) recorder.connected(-1);
  }

  /**
   * The platform or the network ended {@code lost}'s connection (the transport says so, or a
   * publish found it closed): count it once, and reconnect unless the engine wants the device off.
   */
  private void dropped(Transport lost, DeviceException reason) {
    if (transport != lost) return; // an old connection, already replaced or closed on purpose
    lostConnection();
    // Counted when the transport tells (once per connection); a publish that found it closed has
    // counted its own failure already.
    if (reason != null) recorder.failure(FailureClass.of(reason), protocol);
    if (wanted && options.reconnect() != null && reconnecting.compareAndSet(false, true)) {
      reconnector = Thread.ofVirtual().name("reconnect " + this).start(() -> reconnect(lost));
    }
  }

  /** Backoff with jitter between attempts, each one timed and counted like a first connect. */
  private void reconnect(Transport lost) {
    try {
      closeQuietly(lost);
      releaseDescriptors();
      for (int attempt = 0; wanted && !connected.get(); attempt++) {
        if (!waitWhileWanted(options.reconnect().delay(attempt)) || open(System.nanoTime())) return;
      }
    } finally {
      reconnector = null;
      reconnecting.set(false);
      // Dropped again before this loop ended: the drop found it still running, so go on here.
      Transport now = transport;
      if (wanted && !connected.get() && now != null) dropped(now, null);
    }
  }

  /**
   * Waits out a reconnect's backoff; false when the engine disconnected this device meanwhile (it
   * wakes this thread). Not an interrupt: one that reached an attempt under way would cut it after
   * the platform had answered, and the platform would count a refusal the report had not.
   */
  private boolean waitWhileWanted(Duration delay) {
    long end = System.nanoTime() + delay.toNanos();
    Thread self = Thread.currentThread();
    // An interrupt (none of this engine's) still stops it: parkNanos would return at once, again and again.
    for (long left = delay.toNanos(); wanted && left > 0 && !self.isInterrupted(); left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
    }
    return wanted && !self.isInterrupted();
  }

  /**
   * Publishes one message to {@code channel} (one of {@link #channels()}), due at
   * {@code dueNanoTime}, without blocking the caller: PUBLISH latency runs from the due time to the
   * acknowledgement (coordinated omission corrected). The future tells whether it was acknowledged,
   * once the outcome is counted as {@code tally} says.
   *
   * <p>A device with all its {@link DeviceOptions#inFlightPerDevice()} slots taken queues the
   * message, and the wait shows in its latency; only the platform's silence (the ack timeout) fails
   * a message. No thread waits for an acknowledgement: MQTT's client tells when it comes.
   */
  public CompletableFuture<Boolean> publish(String channel, byte[] payload, String contentType, long dueNanoTime,
      MessageTally tally) {
    CompletableFuture<Boolean> outcome = new CompletableFuture<>();
    Transport current = transport;
    if (current == null || !connected.get()) {
      tally.failed(recorder, protocol, FailureClass.NOT_CONNECTED);
      outcome.complete(false);
      return outcome;
    }
    waiting.add(() -> {
      tally.sent(recorder, protocol, payload.length);
      attempt(current, channel, payload, contentType, dueNanoTime, System.nanoTime() + options.ackTimeout().toNanos(),
          tally, outcome);
    });
    sendWaiting();
    return outcome;
  }

  /**
   * Sends waiting messages while a slot is free. One thread at a time does it (the others only ask
   * again), so that a run of messages that fail at once does not recurse, and no caller blocks.
   */
  private void sendWaiting() {
    if (sendRequests.getAndIncrement() != 0) return; // the thread sending now will look again
    int asked = 1;
    do {
      while (!waiting.isEmpty() && takeSlot()) {
        Runnable next = waiting.poll();
        if (next == null) inFlight.decrementAndGet();
        else next.run();
      }
      asked = sendRequests.addAndGet(-asked);
    } while (asked != 0);
  }

  private void attempt(Transport current, String channel, byte[] payload, String contentType, long dueNanoTime,
      long giveUp, MessageTally tally, CompletableFuture<Boolean> outcome) {
    String subtopic = tally.subtopic(protocol);
    current.publishAsync(channel, subtopic, payload, contentType, options.qos(), options.retained()).whenComplete((ok, thrown) -> {
      if (thrown == null) {
        tally.acknowledged(recorder, protocol, System.nanoTime() - dueNanoTime);
        finish(outcome, true);
        return;
      }
      if (pahoInFlightLimit(thrown) && System.nanoTime() < giveUp) {
        // Paho counts a message in flight a moment after its acknowledgement was told: at its limit
        // (an MQTT 5 broker's Receive Maximum) it can refuse the next one although this device
        // keeps no more. That is the client's bookkeeping, not the platform's answer: try again shortly.
        RETRY_SHORTLY.execute(() -> attempt(current, channel, payload, contentType, dueNanoTime, giveUp, tally, outcome));
        return;
      }
      tally.failed(recorder, protocol, FailureClass.of(thrown));
      if (!current.isConnected()) dropped(current, null);
      finish(outcome, false);
    });
  }

  private int windowFor(int connectionAllows) {
    int mine = protocol.startsWith("mqtt") ? options.inFlightPerDevice() : Math.min(HTTP_IN_FLIGHT, options.inFlightPerDevice());
    return Math.min(mine, connectionAllows);
  }

  private boolean takeSlot() {
    for (int now = inFlight.get(); now < window; now = inFlight.get()) {
      if (inFlight.compareAndSet(now, now + 1)) return true;
    }
    return false;
  }

  private void finish(CompletableFuture<Boolean> outcome, boolean acknowledged) {
    inFlight.decrementAndGet();
    sendWaiting();
    outcome.complete(acknowledged);
  }

  /** Paho's "too many publishes in progress" (32202), v3 or v5. */
  private static boolean pahoInFlightLimit(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.paho.client.mqttv3.MqttException m && m.getReasonCode() == PAHO_MAX_INFLIGHT) return true;
      if (t instanceof org.eclipse.paho.mqttv5.common.MqttException m && m.getReasonCode() == PAHO_MAX_INFLIGHT) return true;
    }
    return false;
  }

  /** Closes the connection (MQTT DISCONNECT, WebSocket close); a no-op when not connected. */
  public void disconnect() {
    wanted = false;
    Thread trying = reconnector;
    if (trying != null) LockSupport.unpark(trying); // ends its backoff; an attempt under way ends and is counted
    Transport current = transport;
    transport = null;
    if (current != null) closeQuietly(current);
    if (!isOpening()) releaseDescriptors(); // an open under way gives them back when it ends
    lostConnection();
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (RuntimeException ignored) {
      // closing anyway: nothing to count
    }
  }

  @Override
  public String toString() {
    return "device " + index + " (" + protocol + ", thing " + identity.displayName() + ")";
  }
}
