package io.thingstorm.loadgen.metrics;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * Everything a run measures, recorded from any number of threads. The record and count methods take
 * no lock and allocate nothing once a protocol has been seen: one HdrHistogram {@code Recorder} per
 * (metric, protocol), and {@link LongAdder} counters.
 *
 * <p>Latencies are passed in nanoseconds and kept in microseconds (1 µs to 1 h, 3 significant
 * digits); a value beyond an hour is kept as one hour, a negative one as 0.
 *
 * <p>{@link #tick()} once a second (from one thread, or {@link #tickEverySecond}) turns the last
 * second into interval histograms, appended to one HdrHistogram log per metric
 * ({@code <metric>.hlog}, tagged by protocol), and into a {@link TimelinePoint}. {@link #finish()}
 * closes the run; the timeline's rates then cover every whole second, the totals everything.
 *
 * <p>Each operation ends once: a successful connect records {@link Metric#CONNECT}, a successful
 * publish {@link Metric#PUBLISH}, and a failed one calls {@link #failure} once. The error share is
 * counted from that.
 */
public final class RunRecorder implements Closeable {
  /** One hour in microseconds: the longest latency a histogram holds. */
  public static final long HIGHEST_MICROS = 3_600_000_000L;
  public static final int SIGNIFICANT_DIGITS = 3;

  private final Path dir;
  private final InstantSource clock;
  private final long startMillis;
  private final ConcurrentHashMap<String, ProtocolLane> lanes = new ConcurrentHashMap<>();
  private final AtomicLong connected = new AtomicLong();
  private final AtomicLong connectedMax = new AtomicLong();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder warmUpAcknowledged = new LongAdder();
  private final LongAdder warmUpFailed = new LongAdder();
  private final LongAdder warmUpConnects = new LongAdder();
  private final GeneratorLoad generator = new GeneratorLoad();

  // Tick state: touched only under the lock of tick(), never by the record methods.
  private final EnumMap<Metric, HistogramLogWriter> logs = new EnumMap<>(Metric.class);
  private final List<TimelinePoint> timeline = new ArrayList<>();
  private final Histogram publishThisSecond = newHistogram();
  private final Histogram lagThisSecond = newHistogram();
  private long lastTickMillis;
  private long lastWarmUps;
  private long lastWarmUpConnects;
  private boolean finished;

  private RunRecorder(Path dir, InstantSource clock) {
    this.dir = dir;
    this.clock = clock;
    this.startMillis = clock.millis();
    this.lastTickMillis = startMillis;
  }

  /** Starts recording now; the interval logs go to {@code dir}, created if missing. */
  public static RunRecorder start(Path dir) {
    return start(dir, InstantSource.system());
  }

  /** Starts recording with a clock of the caller's: tests tick a fake clock by whole seconds. */
  public static RunRecorder start(Path dir, InstantSource clock) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return new RunRecorder(dir, clock);
  }

  public static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }

  // ---- the hot path ----

  /** A latency of {@code nanos} nanoseconds for {@code metric} over {@code protocol} ("mqtt3", "https", ...). */
  public void record(Metric metric, String protocol, long nanos) {
    long micros = nanos <= 0 ? 0 : Math.min(nanos / 1000, HIGHEST_MICROS);
    lane(protocol).record(metric, micros);
  }

  /** A device connected (+1) or went away (-1). */
  public void connected(int delta) {
    long now = connected.addAndGet(delta);
    long max;
    while (now > (max = connectedMax.get()) && !connectedMax.compareAndSet(max, now)) {
      // another thread raised the maximum meanwhile: look again
    }
  }

  /** A TLS handshake completed, resumed from a session or full. */
  public void handshake(String protocol, boolean resumed) {
    ProtocolLane lane = lane(protocol);
    (resumed ? lane.handshakesResumed : lane.handshakesFull).increment();
  }

  /** A message of {@code bytes} payload bytes went out. */
  public void sent(String protocol, int bytes) {
    ProtocolLane lane = lane(protocol);
    lane.sent.increment();
    lane.sentBytes.add(bytes);
  }

  /**
   * A message was acknowledged: PUBACK, PUBCOMP, HTTP 2xx. At QoS 0 and over WebSocket, call it when
   * the send completed: nothing more comes back, so only a subscriber can see those losses.
   */
  public void acknowledged(String protocol) {
    lane(protocol).acknowledged.increment();
  }

  /** A subscriber on {@code protocol} received a message of {@code bytes} payload bytes. */
  public void received(String protocol, int bytes) {
    ProtocolLane lane = lane(protocol);
    lane.received.increment();
    lane.receivedBytes.add(bytes);
  }

  /** A subscriber received a message it had seen already (also counted by {@link #received}). */
  public void duplicate(String protocol) {
    lane(protocol).duplicates.increment();
  }

  /** A connect or publish failed, of a class such as "unknown_ca", "timeout", "http_403". */
  public void failure(String failureClass, String protocol) {
    ProtocolLane lane = lane(protocol);
    LongAdder count = lane.failures.get(failureClass);
    if (count == null) count = lane.failures.computeIfAbsent(failureClass, c -> new LongAdder());
    count.increment();
  }

  /** A device connected again after losing or dropping its connection. */
  public void reconnect() {
    reconnects.increment();
  }

  /**
   * A warm-up message ended, acknowledged or not. Warm-up is counted apart, and only so that a reader
   * sees it happen: it is in no latency, count, rate or error share.
   */
  public void warmUp(boolean acknowledged) {
    (acknowledged ? warmUpAcknowledged : warmUpFailed).increment();
  }

  /** A connect of the connect warm-up ended; shown live and over time, counted in no figure. */
  public void warmUpConnect() {
    warmUpConnects.increment();
  }

  /** Warm-up messages acknowledged so far. */
  public long warmUpAcknowledgedSoFar() {
    return warmUpAcknowledged.sum();
  }

  /** Warm-up messages that failed so far (timed out, refused, device not connected). */
  public long warmUpFailedSoFar() {
    return warmUpFailed.sum();
  }

  /** Messages acknowledged so far, every protocol. */
  public long acknowledgedSoFar() {
    return lanes.values().stream().mapToLong(l -> l.acknowledged.sum()).sum();
  }

  /** Messages subscribers received so far, every protocol, duplicates included. */
  public long receivedSoFar() {
    return lanes.values().stream().mapToLong(l -> l.received.sum()).sum();
  }

  /** Every protocol's counters added, as they stand now (for scrapes between ticks). */
  public ProtocolCounts countsSoFar() {
    ProtocolCounts sum = ProtocolCounts.none("all");
    for (ProtocolLane lane : lanes.values()) sum = sum.plus(lane.counts(), "all");
    return sum;
  }

  private ProtocolLane lane(String protocol) {
    ProtocolLane lane = lanes.get(protocol);
    return lane != null ? lane : lanes.computeIfAbsent(protocol, ProtocolLane::new);
  }

  // ---- once a second ----

  /** Closes the interval since the last tick: logs its histograms and returns its timeline point. */
  public synchronized TimelinePoint tick() {
    return tick(false);
  }

  /** @param last the tick of {@link #finish}: a sliver of under half a second is counted, but gets no point of its own */
  private TimelinePoint tick(boolean last) {
    if (finished) throw new IllegalStateException("the run is finished");
    long now = Math.max(clock.millis(), lastTickMillis + 1);
    double seconds = (now - lastTickMillis) / 1000.0;
    publishThisSecond.reset();
    lagThisSecond.reset();
    long handshakes = 0, sent = 0, acknowledged = 0, received = 0;
    Map<String, Long> errors = new TreeMap<>();
    long warmUps = warmUpAcknowledged.sum() + warmUpFailed.sum();
    long warmUpConnectsNow = warmUpConnects.sum();
    for (ProtocolLane lane : sortedLanes()) {
      for (Metric metric : Metric.values()) {
        Histogram interval = lane.takeInterval(metric);
        if (interval == null || interval.getTotalCount() == 0) continue;
        interval.setTag(lane.protocol);
        interval.setStartTimeStamp(lastTickMillis);
        interval.setEndTimeStamp(now);
        log(metric).outputIntervalHistogram(
            (lastTickMillis - startMillis) / 1000.0, (now - startMillis) / 1000.0, interval, 1000.0);
        lane.totals.get(metric).add(interval);
        if (metric == Metric.PUBLISH) publishThisSecond.add(interval);
        if (metric == Metric.LAG) lagThisSecond.add(interval);
      }
      ProtocolCounts counts = lane.counts();
      ProtocolCounts delta = counts.minus(lane.lastCounts);
      lane.lastCounts = counts;
      handshakes += delta.handshakesFull() + delta.handshakesResumed();
      sent += delta.sent();
      acknowledged += delta.acknowledged();
      received += delta.received();
      delta.failures().forEach((c, n) -> { if (n != 0) errors.merge(c, n, Long::sum); });
    }
    TimelinePoint point = new TimelinePoint(
        (int) Math.round((now - startMillis) / 1000.0),
        connected.get(),
        handshakes / seconds,
        sent / seconds,
        acknowledged / seconds,
        received / seconds,
        millisAt(publishThisSecond, 50),
        millisAt(publishThisSecond, 99),
        errors,
        millisAt(lagThisSecond, 99),
        (warmUps - lastWarmUps) / seconds,
        (warmUpConnectsNow - lastWarmUpConnects) / seconds,
        generator.sample());
    lastWarmUps = warmUps;
    lastWarmUpConnects = warmUpConnectsNow;
    if (!last || seconds >= 0.5 || timeline.isEmpty()) timeline.add(point);
    lastTickMillis = now;
    return point;
  }

  /**
   * Calls {@link #tick()} once a second on a daemon thread of its own, handing each point to
   * {@code listener} (for example {@link LiveProgress#show}). Close the result to stop.
   */
  public AutoCloseable tickEverySecond(Consumer<TimelinePoint> listener) {
    var scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "thingstorm-tick");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleAtFixedRate(() -> {
      synchronized (this) {
        if (finished) return;
        TimelinePoint point = tick();
        try {
          listener.accept(point);
        } catch (RuntimeException e) {
          // a failing display must not stop the measuring: an exception here would cancel the schedule
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
    return scheduler::shutdownNow;
  }

  /**
   * Ends the run: a last tick for what came since the previous one, the logs closed, and everything
   * measured handed over as {@link Measurements} for the report.
   */
  public synchronized Measurements finish() {
    if (!finished) {
      tick(true); // what came since the last tick
      finished = true;
      logs.values().forEach(HistogramLogWriter::close);
    }
    List<Measurements.Latency> latencies = new ArrayList<>();
    List<ProtocolCounts> counts = new ArrayList<>();
    for (ProtocolLane lane : sortedLanes()) {
      lane.totals.forEach((metric, total) -> {
        if (total.getTotalCount() > 0) latencies.add(new Measurements.Latency(metric, lane.protocol, total.copy()));
      });
      counts.add(lane.lastCounts);
    }
    return new Measurements(
        Instant.ofEpochMilli(startMillis),
        Instant.ofEpochMilli(lastTickMillis),
        latencies,
        counts,
        reconnects.sum(),
        connectedMax.get(),
        List.copyOf(timeline),
        generator.use());
  }

  /** The generator JVM's own use, sampled at every tick; the engine adds its phases' CPU to it. */
  public GeneratorLoad generator() {
    return generator;
  }

  @Override
  public void close() {
    finish();
  }

  public Path directory() {
    return dir;
  }

  private List<ProtocolLane> sortedLanes() {
    List<ProtocolLane> sorted = new ArrayList<>(lanes.values());
    sorted.sort((a, b) -> a.protocol.compareTo(b.protocol));
    return sorted;
  }

  private HistogramLogWriter log(Metric metric) {
    return logs.computeIfAbsent(metric, m -> {
      Path file = dir.resolve(HlogFiles.fileName(m));
      try {
        // Flushed line by line: a run that dies keeps every second already measured.
        HistogramLogWriter writer = new HistogramLogWriter(new PrintStream(new FileOutputStream(file.toFile()), true, "US-ASCII"));
        writer.outputComment("thingstorm " + m.key() + " latency in microseconds, tagged by protocol");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMillis);
        writer.setBaseTime(startMillis);
        writer.outputBaseTime(startMillis);
        writer.outputLegend();
        return writer;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    });
  }

  static double millisAt(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** What one protocol recorded. */
  private static final class ProtocolLane {
    final String protocol;
    final AtomicReferenceArray<Recorder> recorders =
        new AtomicReferenceArray<>(Metric.values().length);
    final EnumMap<Metric, Histogram> intervals = new EnumMap<>(Metric.class);
    /** 1 where a metric was recorded since the last tick: a tick leaves the others' recorders be. */
    final AtomicIntegerArray recordedSinceTick = new AtomicIntegerArray(Metric.values().length);
    final EnumMap<Metric, Histogram> totals = new EnumMap<>(Metric.class);
    final LongAdder sent = new LongAdder();
    final LongAdder sentBytes = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder handshakesFull = new LongAdder();
    final LongAdder handshakesResumed = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    ProtocolCounts lastCounts;

    ProtocolLane(String protocol) {
      this.protocol = protocol;
      this.lastCounts = ProtocolCounts.none(protocol);
      for (Metric m : Metric.values()) totals.put(m, newHistogram());
    }

    void record(Metric metric, long micros) {
      recorder(metric).recordValue(micros);
      // Marked after the value: a tick clears the mark before it takes the interval, so a value
      // is either in the interval taken or marked for the next tick.
      int i = metric.ordinal();
      if (recordedSinceTick.get(i) == 0) recordedSinceTick.set(i, 1);
    }

    Recorder recorder(Metric metric) {
      Recorder r = recorders.get(metric.ordinal());
      if (r != null) return r;
      recorders.compareAndSet(metric.ordinal(), null, new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS));
      return recorders.get(metric.ordinal());
    }

    /**
     * This interval's histogram; null if the metric was not recorded in it. The recorder hands over the
     * histogram it recorded into and takes back the last one, rather than copying into a buffer of
     * ours: a copy walks all 23,000 counts of each metric's histogram every second, 5 % of the
     * JVM's CPU while 150 devices connect a second. A metric not recorded since the last tick is
     * skipped, as the recorder would still clear the 23,000 counts of the histogram it hands back.
     */
    Histogram takeInterval(Metric metric) {
      Recorder r = recorders.get(metric.ordinal());
      if (r == null || recordedSinceTick.get(metric.ordinal()) == 0) return null;
      recordedSinceTick.set(metric.ordinal(), 0);
      Histogram interval = r.getIntervalHistogram(intervals.get(metric));
      intervals.put(metric, interval);
      return interval;
    }

    ProtocolCounts counts() {
      Map<String, Long> f = new TreeMap<>();
      failures.forEach((c, n) -> f.put(c, n.sum()));
      return new ProtocolCounts(protocol, sent.sum(), sentBytes.sum(), acknowledged.sum(), received.sum(),
          receivedBytes.sum(), duplicates.sum(), handshakesFull.sum(), handshakesResumed.sum(),
          Collections.unmodifiableMap(f));
    }
  }
}
