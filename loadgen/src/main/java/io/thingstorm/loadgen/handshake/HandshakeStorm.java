package io.thingstorm.loadgen.handshake;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.ConscryptBufferPool;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.loadgen.fleet.JsseChoice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.HdrHistogram.Histogram;

/**
 * Handshakes against one endpoint: TCP connect, a mutual TLS handshake, close. Either {@code
 * concurrency} workers back to back (closed loop), or handshakes due at a set rate (open model:
 * latency from the due time, so a slow server is not hidden by the client waiting for it).
 *
 * <p>Workers are platform threads so that their CPU time can be read (ThreadMXBean does not measure
 * virtual threads). Each worker keeps one identity's SSLContext, so with resumption on it resumes
 * its own session, as a device reconnecting would.
 */
public final class HandshakeStorm {
  private static final long HIGHEST_MICROS = Duration.ofMinutes(5).toNanos() / 1000;
  /** Server certificate checks made on this thread: one per full handshake, none in a resumed one. */
  private static final ThreadLocal<long[]> SERVER_CHECKS = ThreadLocal.withInitial(() -> new long[1]);

  private final String host;
  private final int port;
  private final TlsSettings tls;
  private final List<ThingIdentity> identities;
  private final int concurrency;
  private final double rate;
  private final Duration warmup;
  private final Duration duration;
  private final Duration ticketWait;
  private final Duration connectTimeout;
  /**
   * Each worker's socket is handshaken and closed by that worker alone, so Conscrypt's sockets
   * can hand their buffers on: about 0.09 ms (an eighth) less client CPU a handshake.
   */
  private final ConscryptBufferPool buffers = new ConscryptBufferPool();

  private HandshakeStorm(Builder b) {
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port;
    // Every provider checks the server's certificate in a full handshake and never in a resumed
    // one; session creation times are no help (Conscrypt's are rounded to the second).
    this.tls = Objects.requireNonNull(b.tls, "tls").newBuilder().onServerCertificateCheck(() -> SERVER_CHECKS.get()[0]++).build();
    this.identities = List.copyOf(b.identities);
    this.concurrency = b.concurrency;
    this.rate = b.rate;
    this.warmup = b.warmup;
    this.duration = b.duration;
    this.ticketWait = b.ticketWait != null ? b.ticketWait : defaultTicketWait(tls);
    this.connectTimeout = b.connectTimeout;
    if (identities.isEmpty()) throw new IllegalArgumentException("no identity to handshake with");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("not a port: " + port);
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    if (rate < 0 || Double.isNaN(rate)) throw new IllegalArgumentException("rate must be positive, not " + rate);
    if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("duration must be positive");
    if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must not be negative");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * TLS 1.3 servers send their session tickets after the handshake; a client that closes at once
   * never gets one and cannot resume. With resumption on and 1.3 offered, wait this long for them.
   */
  private static Duration defaultTicketWait(TlsSettings tls) {
    return tls.sessionResumption() && tls.versions().contains("TLSv1.3") ? Duration.ofMillis(20) : Duration.ZERO;
  }

  /** Runs the warm-up and the counted window; blocks until both are over. */
  public HandshakeResult run() {
    List<ThingTls> contexts = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) contexts.add(tls.forIdentity(identities.get(i % identities.size())));
    long start = System.nanoTime() + Duration.ofMillis(20).toNanos();
    long counted = start + warmup.toNanos();
    long end = counted + duration.toNanos();
    AtomicLong nextDue = new AtomicLong();
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) workers.add(new Worker(contexts.get(i), start, counted, end, nextDue));
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      Thread t = new Thread(workers.get(i), "handshake-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    ProcessCpu processCpu = new ProcessCpu();
    threads.forEach(Thread::start);
    sleepUntil(counted);
    long processAtStart = processCpu.nanos();
    sleepUntil(end);
    long processAtEnd = processCpu.nanos();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    Map<FailureKind, Long> failures = new EnumMap<>(FailureKind.class);
    long succeeded = 0;
    long resumed = 0;
    long cpu = 0;
    long maxLag = 0;
    long lastDone = end;
    String negotiated = "";
    for (Worker w : workers) {
      latency.add(w.latency);
      w.failures.forEach((k, v) -> failures.merge(k, v, Long::sum));
      succeeded += w.succeeded;
      resumed += w.resumed;
      cpu += w.cpuInWindow;
      maxLag = Math.max(maxLag, w.maxLagMicros);
      lastDone = Math.max(lastDone, w.lastDoneNanos);
      if (negotiated.isEmpty() && w.negotiated != null) negotiated = w.negotiated;
    }
    long processNanos = processAtStart < 0 || processAtEnd < 0 ? -1 : processAtEnd - processAtStart;
    return new HandshakeResult(host + ":" + port, JsseChoice.describe(tls.provider()),
        // Handshakes due in the window but done after it (a rate the client or server could not
        // keep) stretch the window: the rate shown is the one achieved, not the one asked for.
        String.join(",", tls.versions()), negotiated, concurrency, rate, tls.sessionResumption(), Duration.ofNanos(lastDone - counted),
        succeeded, resumed, failures, latency, cpu, processNanos, maxLag);
  }

  private static void sleepUntil(long nanoTime) {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  /** One worker: its own SSLContext, histogram and counts, merged when the run is over. */
  private final class Worker implements Runnable {
    private final ThingTls thingTls;
    private final long start;
    private final long counted;
    private final long end;
    private final AtomicLong nextDue;
    final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    final Map<FailureKind, Long> failures = new EnumMap<>(FailureKind.class);
    long succeeded;
    long resumed;
    long cpuInWindow;
    long maxLagMicros;
    long lastDoneNanos;
    String negotiated;

    Worker(ThingTls thingTls, long start, long counted, long end, AtomicLong nextDue) {
      this.thingTls = thingTls;
      this.start = start;
      this.counted = counted;
      this.end = end;
      this.nextDue = nextDue;
    }

    @Override
    public void run() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      boolean cpuMeasured = threads.isCurrentThreadCpuTimeSupported();
      long cpuAtCounted = -1;
      sleepUntil(start);
      while (true) {
        long due;
        if (rate > 0) {
          // Open model: the k-th handshake of the whole storm is due at start + k / rate.
          due = start + (long) (nextDue.getAndIncrement() * 1e9 / rate);
          if (due >= end) break;
          sleepUntil(due);
        } else {
          due = System.nanoTime();
          if (due >= end) break;
        }
        boolean inWindow = due >= counted;
        if (inWindow && cpuAtCounted < 0 && cpuMeasured) cpuAtCounted = threads.getCurrentThreadCpuTime();
        long began = System.nanoTime();
        try {
          Outcome outcome = handshake();
          long micros = (outcome.doneNanos - due) / 1000;
          if (inWindow) {
            latency.recordValue(Math.min(Math.max(0, micros), HIGHEST_MICROS));
            succeeded++;
            if (outcome.resumed) resumed++;
            if (rate > 0) maxLagMicros = Math.max(maxLagMicros, (began - due) / 1000);
          }
        } catch (IOException | RuntimeException e) {
          if (inWindow) failures.merge(Failures.classify(e).kind(), 1L, Long::sum);
        }
        if (inWindow) lastDoneNanos = System.nanoTime();
      }
      if (cpuAtCounted >= 0) cpuInWindow = threads.getCurrentThreadCpuTime() - cpuAtCounted;
    }

    /** One handshake: whether the server resumed an earlier session, and when it was done. */
    private Outcome handshake() throws IOException {
      long[] serverChecks = SERVER_CHECKS.get();
      long checksBefore = serverChecks[0];
      try (SSLSocket socket = buffers.applyTo((SSLSocket) thingTls.socketFactory().createSocket())) {
        ForwardingSslSocketFactory.toHost(socket, host);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        socket.setSoTimeout((int) connectTimeout.toMillis());
        socket.startHandshake();
        long done = System.nanoTime();
        SSLSession session = socket.getSession();
        if (!session.isValid() && session.getProtocol().equals("NONE")) {
          throw new DeviceException(FailureKind.HANDSHAKE_FAILED, "the handshake did not complete");
        }
        if (negotiated == null) negotiated = session.getProtocol() + " " + session.getCipherSuite();
        boolean resumedNow = serverChecks[0] == checksBefore;
        if (!ticketWait.isZero()) awaitTickets(socket);
        return new Outcome(resumedNow, done);
      }
    }

    /**
     * Reads once with a short timeout: the TLS 1.3 session tickets that the server sends after
     * the handshake are taken in, and there is no application data to wait for.
     */
    private void awaitTickets(SSLSocket socket) throws IOException {
      try {
        socket.setSoTimeout((int) Math.max(1, ticketWait.toMillis()));
        // JDK: close_notify first. A server answers it with its own, after its tickets or its
        // alert, so the read ends after a round trip rather than at the time limit. Conscrypt's
        // half-close ends its reading too (every read then fails): it reads until the time limit.
        if (tls.provider() == TlsProvider.JDK) socket.shutdownOutput();
        while (socket.getInputStream().read() >= 0) {
          // application data is not expected; read on to the close
        }
      } catch (SocketTimeoutException expected) {
        // nothing but tickets came: the server accepted the client certificate
      } catch (IOException e) {
        // Under TLS 1.3 the server checks the client certificate after the client's handshake is
        // over: its refusal (unknown CA, expired) arrives here. A plain close is no refusal.
        if (Failures.classify(e).kind() != FailureKind.CONNECTION_LOST) throw e;
      }
    }
  }

  private record Outcome(boolean resumed, long doneNanos) {
  }

  /** The JVM's CPU time from com.sun.management, where there is one. */
  private static final class ProcessCpu {
    long nanos() {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getProcessCpuTime();
      }
      return -1;
    }
  }

  public static final class Builder {
    private String host;
    private int port;
    private TlsSettings tls;
    private List<ThingIdentity> identities = List.of();
    private int concurrency = 1;
    private double rate;
    private Duration warmup = Duration.ofSeconds(5);
    private Duration duration = Duration.ofSeconds(10);
    private Duration ticketWait;
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {}

    public Builder target(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** Trust, versions, provider and resumption ({@link TlsSettings#sessionResumption()}). */
    public Builder tls(TlsSettings tls) {
      this.tls = tls;
      return this;
    }

    /** The client identities; worker i uses identity i modulo their number. */
    public Builder identities(List<ThingIdentity> identities) {
      this.identities = identities;
      return this;
    }

    public Builder concurrency(int workers) {
      this.concurrency = workers;
      return this;
    }

    /** Handshakes per second, due at even intervals (open model); 0 for back to back. */
    public Builder rate(double perSecond) {
      this.rate = perSecond;
      return this;
    }

    public Builder warmup(Duration warmup) {
      this.warmup = warmup;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** How long to read after a handshake for TLS 1.3 session tickets (default 20 ms when resuming over 1.3, else 0). */
    public Builder ticketWait(Duration wait) {
      this.ticketWait = wait;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public HandshakeStorm build() {
      return new HandshakeStorm(this);
    }
  }
}
