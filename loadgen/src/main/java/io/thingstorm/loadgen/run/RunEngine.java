package io.thingstorm.loadgen.run;

import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.loadgen.fleet.JsseChoice;
import io.thingstorm.loadgen.metrics.Measurements;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import io.thingstorm.loadgen.report.Machine;
import io.thingstorm.loadgen.report.ReportWriter;
import io.thingstorm.loadgen.report.RunFacts;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Payload;
import io.thingstorm.loadgen.scenario.Phase;
import io.thingstorm.loadgen.scenario.RateSchedule;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.loadgen.scenario.Shard;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.CountsSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs a scenario: sets up the fleet (and the embedded testbed), runs the phases in order with this
 * shard's share of every rate, and writes the report. {@link #stop()} (Ctrl-C) ends the phase under
 * way; devices disconnect and the report of what was done is written all the same.
 *
 * <pre>{@code
 * RunResult result = RunEngine.builder()
 *     .scenario(Scenario.load(Path.of("scenarios/quickstart.yaml")))
 *     .out(Path.of("runs/quickstart-1"))
 *     .progress(live::show)
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Open model everywhere: connect k, message n, reconnect n are due at the phase's
 * {@link RateSchedule#dueNanos} and start at that time, whatever the earlier ones are doing (see
 * {@link ArrivalSchedule}); latencies count from the due time. Connects run on a virtual thread
 * each; a message is handed to its device's client with no thread of its own.
 */
public final class RunEngine {
  // Enough for the JIT to compile the connect path past its slowest tiers. 3,000 devices at 150/s
  // into mosquitto, TLS handshakes only: connect p99 1.9 s with none, 77-93 ms after 5 s (520-569
  // handshakes). 10,000 devices at 150/s, MQTT connects: JVM CPU per connect over the ramp 2.59-2.77
  // ms after 15 s (2,900-4,700 connects, 8-16 at a time), 3.11 after 565 connects two at a time,
  // 3.51-3.96 after 5 s of handshakes; the JIT's share 0.28-0.41 ms against 0.90-1.33.
  private static final int WARM_UP_CONNECTS = 5_000;
  private static final int WARM_UP_CONCURRENCY = 16;
  private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(15);
  // Then on while C2 still has methods queued: on two cores its single thread was busy through 25 s
  // of warm-up and compiled the devices' connect path inside the ramp (see CompilerBacklog).
  private static final Duration WARM_UP_COMPILE_BUDGET = Duration.ofSeconds(10);
  private static final Duration WARM_UP_LEAST = Duration.ofMillis(250);

  /*
   * How many connects and publishes may be under way: as many as the rate starts within the timeout,
   * so that a slow platform never holds the generator back (a Paho connect takes 0.3 s even alone,
   * seconds on a busy broker). Only beyond that does the generator wait, and its lag says so.
   */

  private final Scenario scenario;
  private final Shard shard;
  private final Path out;
  private final Consumer<TimelinePoint> progress;
  private final DeviceOptions options;
  private final Integer metricsPort;
  private final Consumer<DeviceFleet> onSetUp;
  private final PasswordSource caPasswords;
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final RunStage stage = new RunStage();

  private RunEngine(Builder b) {
    this.shard = b.shard != null ? b.shard : Shard.WHOLE;
    this.scenario = Objects.requireNonNull(b.scenario, "scenario").forShard(shard);
    this.out = Objects.requireNonNull(b.out, "out");
    this.progress = b.progress;
    this.options = b.options != null ? b.options : DeviceFleet.options(scenario.fleet().mqtt());
    this.metricsPort = b.metricsPort;
    this.onSetUp = b.onSetUp;
    this.caPasswords = b.caPasswords;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the run is doing now ("set-up: issuing identities 1,200/10,000", "publish (phase 3 of 5)"), for a live line. */
  public String stage() {
    return stage.describe();
  }

  /** Ends the run early: the phase under way stops, devices disconnect, the report is written. */
  public void stop(String reason) {
    if (stopReason.compareAndSet(null, reason)) stage.enter("stopping: " + reason);
  }

  /** Stops, then waits up to {@code timeout} for the report to be written (for a shutdown hook). */
  public boolean stopAndAwait(String reason, Duration timeout) {
    stop(reason);
    try {
      return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The next stage, unless the run is stopping: the live line keeps saying so. */
  private void enter(String name) {
    if (!stopped()) stage.enter(name);
  }

  private boolean stopped() {
    return stopReason.get() != null;
  }

  /** Runs every phase and writes the report into the out folder. Fails (in one line) only when set-up fails. */
  public RunResult run() {
    try {
      return runPhases();
    } finally {
      finished.countDown();
    }
  }

  private RunResult runPhases() {
    MetricsEndpoint metrics = metricsPort == null ? null : MetricsEndpoint.start(metricsPort, scenario.name(), shard.toString());
    Consumer<TimelinePoint> everySecond = progress != null ? progress : p -> {};
    if (metrics != null) everySecond = everySecond.andThen(metrics);
    RunRecorder recorder = RunRecorder.start(out);
    if (metrics != null) metrics.countFrom(recorder::countsSoFar);
    AutoCloseable ticking = recorder.tickEverySecond(everySecond);
    List<String> notes = new ArrayList<>();
    Optional<CountsSnapshot> platformCounts = Optional.empty();
    String providerName = "unknown";
    PhaseClock connectClock = new PhaseClock();
    PhaseClock publishClock = new PhaseClock();
    PhaseClock warmUpClock = new PhaseClock();
    boolean subscribed = false;
    DeviceFleet fleet = null;
    try {
      fleet = DeviceFleet.open(scenario, options, recorder, caPasswords, this::stopped, stage);
      providerName = JsseChoice.describe(fleet.provider());
      notes.add(setUpNote(fleet));
      if (fleet.testbed().isPresent()) {
        notes.add("generator: the embedded testbed runs in the generator's JVM, so its CPU and heap are in the generator's figures");
      }
      if (!scenario.target().tls().hostnameVerification()) {
        notes.add("INSECURE: tls.hostnameVerification was false: the server's host name was not verified");
      }
      fleet.identitiesNote().ifPresent(notes::add);
      enter("set-up: connecting the run's subscribers");
      subscribed = startSubscribers(fleet);
      if (onSetUp != null) onSetUp.accept(fleet);
      enter("set-up: warming up the connect path (not measured)");
      warmUp(fleet, recorder).ifPresent(notes::add);
      recorder.generator().phasesBegin();
      int ordinal = 0;
      for (Phase phase : scenario.phases()) {
        if (stopped()) break;
        enter(phase.kind() + " (phase " + ++ordinal + " of " + scenario.phases().size() + ")");
        switch (phase) {
          case Phase.Connect c -> {
            long cpu = recorder.generator().cpuNanos();
            ArrivalSchedule.Outcome made = connect(fleet, c.schedule(), recorder);
            recorder.generator().connectPhase(recorder.generator().cpuNanos() - cpu, made.started());
            connectClock.add(made.took());
          }
          case Phase.Publish p -> {
            long cpu = recorder.generator().cpuNanos();
            ArrivalSchedule.Outcome made = publish(fleet, p.schedule(), recorder, MessageTally.MEASURED);
            recorder.generator().publishPhase(recorder.generator().cpuNanos() - cpu, made.started());
            publishClock.add(made.took());
          }
          case Phase.WarmUp w -> warmUpClock.add(publish(fleet, w.schedule(), recorder, MessageTally.WARM_UP).took());
          case Phase.Hold h -> ArrivalSchedule.sleepUntil(System.nanoTime() + h.duration().toNanos(), this::stopped);
          case Phase.Churn c -> churn(fleet, c.schedule(), recorder);
          case Phase.Disconnect d -> disconnect(fleet, d.schedule());
        }
        if (phase instanceof Phase.Connect && fleet.devices().stream().noneMatch(SimulatedDevice::isConnected)) {
          stop("no device connected: the platform is unreachable or refused every device (see the failures)");
        }
      }
      if (warmUpClock.total() != null) notes.add(warmUpNote(recorder, warmUpClock.total()));
      if (subscribed) {
        enter("waiting for the subscribers to receive what was sent");
        awaitSubscribers(recorder::receivedSoFar, recorder::acknowledgedSoFar, SUBSCRIBER_CATCH_UP_LIMIT, this::stopped)
            .ifPresent(notes::add);
        foreignNote(fleet.senders().foreign()).ifPresent(notes::add);
        retainedNote(fleet.subscribers().stream().mapToLong(ChannelSubscriber::retainedLeftOut).sum()).ifPresent(notes::add);
        subscribersLostNote(fleet.subscribers().stream().mapToLong(ChannelSubscriber::connectionsLost).sum()).ifPresent(notes::add);
      }
      platformCounts = fleet.testbed().map(RunEngine::settledCounts);
      platformCounts.map(RunEngine::testbedNote).ifPresent(notes::add);
    } catch (CancellationException e) {
      if (fleet != null || !stopped()) throw e;
      // Ctrl-C while thousands of identities were issued: no phase ran, and the report says why
    } finally {
      if (fleet != null) {
        stage.enter((stopped() ? "stopping: " : "") + "closing the connections");
        fleet.close();
      }
      try {
        ticking.close();
      } catch (Exception ignored) {
        // the ticker is a daemon thread; nothing to lose
      }
      if (metrics != null) metrics.close();
    }
    notes.addAll(measurementNotes(subscribed));
    stoppedNote().ifPresent(notes::add);
    Measurements measured = recorder.finish();
    RunFacts facts = new RunFacts(scenario.name(), scenario.yaml(),
        new io.thingstorm.loadgen.report.Shard(shard.index(), shard.count()), Machine.current(providerName),
        connectClock.total(), publishClock.total(), subscribed,
        scenario.thresholds().stream().map(Object::toString).toList(), notes);
    RunReport report = RunReport.of(facts, measured);
    report = report.withVerdicts(new ThresholdCheck(shard, scenario.fleet().count()).judge(report.thresholds(), report));
    ReportWriter.write(report, out);
    return new RunResult(report, out, Optional.ofNullable(stopReason.get()), platformCounts);
  }

  /**
   * Before a run that connects devices, their connect path compiled by connects in this JVM, for
   * half the first connect phase's length at most, so that a short run stays short.
   */
  private Optional<String> warmUp(DeviceFleet fleet, RunRecorder recorder) {
    Optional<Phase.Connect> first = scenario.phases().stream()
        .filter(Phase.Connect.class::isInstance).map(Phase.Connect.class::cast).findFirst();
    if (fleet.devices().isEmpty() || first.isEmpty()) return Optional.empty();
    RateSchedule schedule = first.get().schedule();
    long connects = Math.min(schedule.events(), fleet.devices().size());
    long half = schedule.dueNanos(connects - 1) / 2;
    Duration connecting = Duration.ofNanos(Math.min(WARM_UP_BUDGET.toNanos(), half));
    if (connecting.compareTo(WARM_UP_LEAST) < 0) return Optional.empty();
    Duration compiling = Duration.ofNanos(Math.min(WARM_UP_COMPILE_BUDGET.toNanos(), Math.max(0, half - connecting.toNanos())));
    Endpoints endpoints = fleet.endpoints();
    return Optional.of(ConnectWarmUp.run(warmUpKind(fleet.devices()), endpoints.tls(), endpoints.profile(),
        fleet.devices().get(0).identity(), WARM_UP_CONNECTS, WARM_UP_CONCURRENCY, connecting, compiling,
        recorder::warmUpConnect).note());
  }

  /** MQTT connects in the version most of the fleet's MQTT devices use; TLS handshakes if none uses MQTT. */
  private static ConnectWarmUp.Kind warmUpKind(List<SimulatedDevice> devices) {
    long v3 = devices.stream().filter(d -> d.protocol().equals("mqtt3")).count();
    long v5 = devices.stream().filter(d -> d.protocol().equals("mqtt5")).count();
    if (v3 + v5 == 0) return ConnectWarmUp.Kind.TLS;
    return ConnectWarmUp.Kind.mqtt(v5 > v3 ? 5 : 3);
  }

  private boolean startSubscribers(DeviceFleet fleet) {
    if (fleet.subscribers().isEmpty()) return false;
    int qos = scenario.fleet().mqtt().qos();
    try (var starting = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      fleet.subscribers().forEach(s -> starting.submit(() -> s.start(qos)));
    }
    return true;
  }

  /** Connection k is due at dueNanos(k) and goes to this shard's k-th device. */
  private ArrivalSchedule.Outcome connect(DeviceFleet fleet, RateSchedule schedule, RunRecorder recorder) {
    List<SimulatedDevice> devices = fleet.devices();
    long events = Math.min(schedule.events(), devices.size());
    // Marked before any starts: a connect whose thread never got to run is still counted at the end.
    devices.subList(0, (int) events).forEach(SimulatedDevice::markDue);
    int inFlight = ArrivalSchedule.inFlightFor(peakRate(schedule), options.connectTimeout(), 16, 10_000);
    ArrivalSchedule.Outcome outcome = new ArrivalSchedule(events, schedule::dueNanos, inFlight).run((n, due, lag) -> {
      SimulatedDevice device = devices.get((int) n);
      recorder.record(Metric.LAG, device.protocol(), lag);
      device.connect(due);
    }, this::stopped, options.connectTimeout().plusSeconds(5));
    return outcome;
  }

  /**
   * Message n is due at dueNanos(n) and goes to connected device n mod connected (the devices
   * connected when the phase starts). PUBLISH is measured from the due time to the acknowledgement.
   *
   * @param tally {@link MessageTally#WARM_UP} for a warmup phase: the same work, counted only as warm-up
   */
  private ArrivalSchedule.Outcome publish(DeviceFleet fleet, RateSchedule schedule, RunRecorder recorder, MessageTally tally) {
    List<SimulatedDevice> connected = fleet.devices().stream().filter(SimulatedDevice::isConnected).toList();
    if (connected.isEmpty()) return new ArrivalSchedule.Outcome(0, schedule.events(), false, Duration.ZERO);
    Payload payload = scenario.payload();
    String contentType = payload.format().mediaType();
    int inFlight = ArrivalSchedule.inFlightFor(peakRate(schedule), options.ackTimeout(), 64, 50_000);
    // No thread per message: the device hands it to its client and is told of the acknowledgement.
    DevicePayloads payloads = new DevicePayloads(payload.template(), connected);
    ArrivalSchedule.Starting publishing = (n, due, lag, done) -> {
      int index = (int) (n % connected.size());
      SimulatedDevice device = connected.get(index);
      tally.lag(recorder, device.protocol(), lag);
      long counter = device.nextCounter();
      String channel = device.channelOf(counter);
      byte[] message;
      try {
        message = payloads.of(index, counter).render(counter, System.currentTimeMillis(), ThreadLocalRandom.current());
      } catch (RuntimeException invalid) { // this thing's name makes invalid SenML: counted, and the run goes on
        tally.failed(recorder, device.protocol(), FailureClass.INVALID_PAYLOAD);
        done.run();
        return;
      }
      device.publish(channel, message, contentType, due, tally).whenComplete((acknowledged, failure) -> done.run());
    };
    ArrivalSchedule.Outcome outcome = new ArrivalSchedule(schedule.events(), schedule::dueNanos, inFlight)
        .run(publishing, this::stopped, options.ackTimeout().plusSeconds(2));
    return outcome;
  }

  /** Each event takes the next device in turn, disconnects it and connects it again (resuming its TLS session if it can). */
  private void churn(DeviceFleet fleet, RateSchedule schedule, RunRecorder recorder) {
    List<SimulatedDevice> devices = fleet.devices();
    AtomicLong next = new AtomicLong();
    int inFlight = ArrivalSchedule.inFlightFor(peakRate(schedule), options.connectTimeout(), 16, 10_000);
    new ArrivalSchedule(schedule.events(), schedule::dueNanos, inFlight).run((n, due, lag) -> {
      SimulatedDevice device = devices.get((int) (next.getAndIncrement() % devices.size()));
      recorder.record(Metric.LAG, device.protocol(), lag);
      device.disconnect();
      device.connect(due);
    }, this::stopped, options.connectTimeout().plusSeconds(5));
  }

  private void disconnect(DeviceFleet fleet, RateSchedule schedule) {
    List<SimulatedDevice> devices = fleet.devices();
    long events = Math.min(schedule.events(), devices.size());
    int inFlight = schedule.isImmediate() ? 4096 : ArrivalSchedule.inFlightFor(peakRate(schedule), Duration.ofSeconds(1), 16, 4096);
    // A stop should still close every device: the fleet's close() does that for what is left.
    new ArrivalSchedule(events, schedule::dueNanos, inFlight)
        .run((n, due, lag) -> devices.get((int) n).disconnect(), this::stopped, Duration.ofSeconds(10));
  }

  private static double peakRate(RateSchedule schedule) {
    if (schedule.isImmediate()) return 10_000;
    return Math.max(schedule.rateAt(0), schedule.rateAt(schedule.lengthNanos()));
  }

  /** How long subscribers may take to catch up after the last phase, and the silence that ends it. */
  static final Duration SUBSCRIBER_CATCH_UP_LIMIT = Duration.ofSeconds(60);
  static final Duration SUBSCRIBER_SILENCE = Duration.ofSeconds(1);

  /**
   * Subscribers slower than the fleet are still receiving when the last phase ends: the broker holds
   * what is on its way to them. Counting those as lost would blame the platform for the generator's
   * subscriber, so wait while messages keep arriving (up to a limit), and say so. (A warmup phase's
   * messages never reach them: see {@link ChannelSubscriber}.)
   */
  static Optional<String> awaitSubscribers(LongSupplier received, LongSupplier acknowledged, Duration limit,
      BooleanSupplier stopped) {
    long start = System.nanoTime();
    long before = received.getAsLong();
    long last = before;
    long lastArrival = start;
    boolean cut = false;
    while (!stopped.getAsBoolean()) {
      long now = System.nanoTime();
      long arrived = received.getAsLong();
      if (arrived >= acknowledged.getAsLong()) break;
      if (arrived != last) {
        last = arrived;
        lastArrival = now;
      } else if (now - lastArrival >= SUBSCRIBER_SILENCE.toNanos()) {
        break; // nothing more is coming: what is missing is lost
      }
      if (now - start >= limit.toNanos()) {
        cut = true;
        break;
      }
      ArrivalSchedule.sleepUntil(now + TimeUnit.MILLISECONDS.toNanos(100), stopped);
    }
    long caughtUp = received.getAsLong() - before;
    if (caughtUp == 0) return Optional.empty();
    String note = String.format(Locale.ROOT, "subscribers were behind: %,d messages arrived in the %.1f s after the last phase"
        + " (counted as received; their e2e latency includes the wait)", caughtUp, (System.nanoTime() - start) / 1e9);
    if (cut) {
      note += String.format(Locale.ROOT, "; the wait ended at its %d s limit while messages still arrived, so some of"
          + " those counted as never received may have been on their way", limit.toSeconds());
    }
    return Optional.of(note);
  }

  /** Other shards' (or clients') messages on the run's channels: seen, not counted. */
  static Optional<String> foreignNote(long foreign) {
    if (foreign == 0) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT, "subscribers left out %,d message%s sent by things not of this run"
        + " (other shards or clients on the channels): neither received nor timed", foreign, foreign == 1 ? "" : "s"));
  }

  /** Retained messages (from earlier runs with mqtt.retained) that the broker delivered on subscribing. */
  static Optional<String> retainedNote(long retained) {
    if (retained == 0) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT, "subscribers left out %,d retained message%s that the broker kept from"
        + " earlier publishes: neither received nor timed", retained, retained == 1 ? "" : "s"));
  }

  /** Subscribers whose connection broke and came back: what was published while one was away never reached it. */
  static Optional<String> subscribersLostNote(long lost) {
    if (lost == 0) return Optional.empty();
    return Optional.of(String.format(Locale.ROOT, "subscribers lost their connection %,d time%s and connected again; messages"
        + " published while one was away never reached it (a new session), so some of those counted as never reaching a"
        + " subscriber are the subscriber's gap, not the platform's loss", lost, lost == 1 ? "" : "s"));
  }

  /** What the warm-up did: it shows nowhere else in the report. */
  private static String warmUpNote(RunRecorder recorder, Duration took) {
    long acknowledged = recorder.warmUpAcknowledgedSoFar(), failed = recorder.warmUpFailedSoFar();
    return String.format(Locale.ROOT,
        "warm-up: %,d messages in %.1f s (%,d acknowledged, %,d failed), in no figure of this report (a platform's own counts include them)",
        acknowledged + failed, took.toMillis() / 1000.0, acknowledged, failed);
  }

  /**
   * The testbed's counts once they stop moving: HTTPS and WSS messages are acknowledged (2xx, frame
   * written) a moment before the adapter has counted them.
   */
  private static CountsSnapshot settledCounts(Testbed testbed) {
    CountsSnapshot last = testbed.counts();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      CountsSnapshot now = testbed.counts();
      if (now.total().equals(last.total())) return now;
      last = now;
    }
    return last;
  }

  /** What the testbed itself counted, so that a reader can hold the client's figures against it. */
  private static String testbedNote(CountsSnapshot counts) {
    StringBuilder note = new StringBuilder("the embedded testbed received");
    for (io.thingstorm.testbed.counters.Protocol p : io.thingstorm.testbed.counters.Protocol.values()) {
      var c = counts.protocol(p);
      note.append(String.format(Locale.ROOT, " %s %d", p.label(), c.messages()));
      if (c.totalRefusals() > 0) {
        note.append(" (").append(c.totalRefusals()).append(" refused:");
        c.refusals().forEach((why, n) -> { if (n > 0) note.append(' ').append(n).append(' ').append(why.label()).append(','); });
        note.setLength(note.length() - 1);
        note.append(')');
      }
      note.append(',');
    }
    note.setLength(note.length() - 1);
    return note.append(" messages").toString();
  }

  private String setUpNote(DeviceFleet fleet) {
    int devices = fleet.devices().size();
    int subscribers = fleet.subscribers().size();
    return String.format(Locale.ROOT, "set-up: %d device%s%s, %d subscriber%s, TLS by %s, ready in %.1f s%s",
        devices, devices == 1 ? "" : "s", shard.isWhole() ? "" : " (shard " + shard + ")",
        subscribers, subscribers == 1 ? "" : "s",
        JsseChoice.describe(fleet.provider()), fleet.setUp().toMillis() / 1000.0,
        fleet.testbed().map(t -> "; embedded testbed at " + t.mqttUrl() + ", " + t.httpsUrl() + ", " + t.wsUrl()).orElse(""));
  }

  private static List<String> measurementNotes(boolean subscribed) {
    List<String> notes = new ArrayList<>();
    notes.add("connect: MQTT from due time to CONNACK, its steps timed apart too (tcp, handshake, session: CONNECT to CONNACK); "
        + "WSS to the WebSocket upgrade; HTTPS opens a TLS connection (tcp and handshake timed apart) and its first request "
        + "resumes that session");
    notes.add("publish: from due time to PUBACK/PUBCOMP (QoS 0: written), HTTP 2xx, or WebSocket frame written; lag: start minus due time");
    notes.add("resumed handshakes: counted when a reconnecting device offered a cached TLS session");
    if (subscribed) {
      notes.add("e2e: arrival at an MQTT subscriber minus the SenML time of the message's first record (millisecond resolution); "
          + "devices publish under a subtopic named after their protocol, so received counts by sending protocol");
    }
    return notes;
  }

  private Optional<String> stoppedNote() {
    String reason = stopReason.get();
    return reason == null ? Optional.empty() : Optional.of("stopped early: " + reason + "; the figures cover what ran");
  }

  /** Adds up the time spent in phases of one kind. */
  private static final class PhaseClock {
    private Duration total;

    void add(Duration d) {
      total = total == null ? d : total.plus(d);
    }

    Duration total() {
      return total;
    }
  }

  public static final class Builder {
    private Scenario scenario;
    private Shard shard;
    private Path out;
    private Consumer<TimelinePoint> progress;
    private DeviceOptions options;
    private Integer metricsPort;
    private Consumer<DeviceFleet> onSetUp;
    private PasswordSource caPasswords = PasswordSource.none();

    private Builder() {}

    /** Where the password of an encrypted CA key comes from (fleet.issuer's, or the embedded testbed's folder). */
    public Builder caPasswords(PasswordSource caPasswords) {
      this.caPasswords = Objects.requireNonNull(caPasswords, "caPasswords");
      return this;
    }

    /**
     * Told once the fleet is set up (for an embedded target, its testbed started, see
     * {@link DeviceFleet#testbed()}) and before the first phase, on the engine's thread: for tests
     * and tools that act on the platform while the run goes on, such as revoking things. Return quickly.
     */
    public Builder onSetUp(Consumer<DeviceFleet> listener) {
      this.onSetUp = listener;
      return this;
    }

    /** Serve the live figures for Prometheus on this port during the run (0: a free one); off by default. */
    public Builder metricsPort(Integer port) {
      this.metricsPort = port;
      return this;
    }

    /** The whole scenario; the engine takes the shard's share of it. */
    public Builder scenario(Scenario scenario) {
      this.scenario = scenario;
      return this;
    }

    /** Which slice of the fleet and of every rate this process runs; the whole by default. */
    public Builder shard(Shard shard) {
      this.shard = shard;
      return this;
    }

    /** The report folder (summary.txt, report.json, report.html, *.hlog). */
    public Builder out(Path out) {
      this.out = out;
      return this;
    }

    /** Told once a second what the last second did (LiveProgress::show). */
    public Builder progress(Consumer<TimelinePoint> progress) {
      this.progress = progress;
      return this;
    }

    /** Device timeouts and limits; by default from the scenario's MQTT options. */
    public Builder deviceOptions(DeviceOptions options) {
      this.options = options;
      return this;
    }

    public RunEngine build() {
      return new RunEngine(this);
    }
  }
}
