package io.thingstorm.benchmarks;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same mutual TLS handshake as {@link HandshakeBenchmark}, over a real loopback TCP socket: the
 * client is thingstorm's (its {@link ThingTls} socket factory, as {@code thingstorm handshake} and
 * the transports use it), the server the JDK's {@link SSLServerSocket} on its own thread in this
 * JVM (needClientAuth). Each operation opens a socket, connects, handshakes and closes; when resuming
 * it also sends one byte and reads the server's one byte back, which takes in TLS 1.3's session
 * ticket (the in-memory pair exchanges that byte in both modes: a few µs of record work).
 *
 * <p>Reading the figure: the score is wall time per handshake, client and server together (they
 * share the cores); the secondary counters {@code clientCpuNanos} / {@code handshakes} are the
 * client thread's own CPU per handshake (ThreadMXBean), {@code clientUserNanos} its user-mode part
 * (the rest is the kernel's: on loopback the sending thread also runs the receiving side of TCP), the
 * figure to set beside
 * HandshakeBenchmark's client µs/hs: {@code ResultsTable} prints the ratio "socket / in-memory".
 *
 * <p>Params: the client's provider; full or resumed; {@code chains}: {@code remembered} (the
 * default: a server chain accepted once is not checked again) or {@code checked} (every handshake
 * runs the provider's PKIX check, as plain JSSE does); {@code groups}: {@code default} (the
 * provider's; the JDK sends x25519 and secp256r1 key shares) or {@code x25519} (one key share).
 * Resumed with checked chains (a resumed handshake checks none) and Conscrypt with x25519 (it takes
 * no named groups through SSLParameters and sends one key share anyway) fail in setup, in one line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SocketHandshakeBenchmark {
  @Param({"ec-p256"})
  public String keyType;

  @Param({"TLSv1.3"})
  public String tls;

  @Param({"JDK", "CONSCRYPT"})
  public String provider;

  @Param({"full", "resumed"})
  public String session;

  @Param({"remembered", "checked"})
  public String chains;

  @Param({"default", "x25519"})
  public String groups;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private LoopbackTlsServer server;
  private ThingTls client;
  private InetSocketAddress address;
  private boolean resumed;
  private final java.util.concurrent.atomic.AtomicLong serverChecks = new java.util.concurrent.atomic.AtomicLong();

  /** The client thread's CPU, added up per iteration; divide by handshakes for one handshake's. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class ClientCpu {
    public long clientCpuNanos;
    /** Of which in user mode; the rest is the kernel's (the loopback TCP stack, both ways). */
    public long clientUserNanos;
    public long handshakes;

    @Setup(Level.Iteration)
    public void reset() {
      clientCpuNanos = 0;
      clientUserNanos = 0;
      handshakes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyType type = KeyType.parse(keyType);
    TlsProvider tlsProvider = TlsProvider.parse(provider);
    resumed = switch (session) {
      case "full" -> false;
      case "resumed" -> true;
      default -> throw new IllegalArgumentException("session is full or resumed, not " + session);
    };
    boolean remembered = switch (chains) {
      case "remembered" -> true;
      case "checked" -> false;
      default -> throw new IllegalArgumentException("chains is remembered or checked, not " + chains);
    };
    // Pairs that would measure nothing new fail here, in one line, and JMH goes on with the rest.
    if (resumed && !remembered) throw new IllegalArgumentException("a resumed handshake checks no chain: resumed x checked is left out");
    if (tlsProvider != TlsProvider.JDK && !groups.equals("default")) {
      throw new IllegalArgumentException(provider + " takes no named groups through SSLParameters and sends one key share anyway: left out");
    }
    if (!threads.isCurrentThreadCpuTimeSupported()) throw new IllegalStateException("this JVM measures no thread CPU time");
    BenchmarkPki pki = new BenchmarkPki(type);
    server = LoopbackTlsServer.start(pki.serverContext(), tls);
    address = new InetSocketAddress("localhost", server.port());
    TlsSettings.Builder settings = TlsSettings.builder()
        .trust(TrustMaterial.of(List.of(pki.ca.certificate()), false))
        .provider(tlsProvider)
        .versions(tls)
        .sessionResumption(resumed)
        .rememberAcceptedChains(remembered)
        .onServerCertificateCheck(serverChecks::incrementAndGet);
    switch (groups) {
      case "default" -> { }
      case "x25519" -> settings.namedGroups("x25519");
      default -> throw new IllegalArgumentException("groups is default or x25519, not " + groups);
    }
    client = settings.build().forIdentity(pki.thingIdentity());

    // Once: the server must see the thing's certificate, the version must be the one asked for,
    // and "resumed" must resume.
    SSLSession first = handshakeOnce();
    EngineCheck.requireProtocol(first, tls);
    Certificate[] seen = server.awaitClientChain();
    if (seen == null || seen.length == 0) throw new IllegalStateException("the server saw no client certificate");
    String cn = BenchmarkPki.commonName((X509Certificate) seen[0]);
    if (!cn.equals(pki.thingKey)) throw new IllegalStateException("the server saw the client certificate CN '" + cn + "', not the thing key");
    // Every full handshake checks the server's certificate, no resumed one does (Conscrypt's
    // creation times are whole seconds: no help).
    long checksBefore = serverChecks.get();
    handshakeOnce();
    boolean checked = serverChecks.get() > checksBefore;
    if (resumed == checked) {
      throw new IllegalStateException(provider + " " + tls + " over a socket: the second handshake "
          + (resumed ? "did not resume the first one's session" : "resumed, yet full handshakes were asked for"));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (server != null) server.close();
  }

  private SSLSession handshakeOnce() throws IOException {
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket()) {
      socket.setTcpNoDelay(true);
      socket.connect(address, 5_000);
      socket.setSoTimeout(5_000);
      exchange(socket);
      return socket.getSession();
    }
  }

  /**
   * Handshake; when resuming, one byte each way too: the byte back also carries TLS 1.3's session
   * ticket. Full handshakes close at once, as {@code thingstorm handshake} and {@code s_time -new}
   * do: a client that took a ticket would resume (Conscrypt's sessions cannot be invalidated).
   */
  private void exchange(SSLSocket socket) throws IOException {
    socket.startHandshake();
    if (!resumed) return;
    OutputStream out = socket.getOutputStream();
    out.write(1);
    out.flush();
    if (socket.getInputStream().read() != 2) throw new IOException("the server did not answer its byte");
  }

  @Benchmark
  public SSLSession handshake(ClientCpu cpu) throws IOException {
    long before = threads.getCurrentThreadCpuTime();
    long userBefore = threads.getCurrentThreadUserTime();
    SSLSession session;
    try (SSLSocket socket = (SSLSocket) client.socketFactory().createSocket()) {
      socket.setTcpNoDelay(true);
      socket.connect(address, 5_000);
      socket.setSoTimeout(5_000);
      exchange(socket);
      session = socket.getSession();
    }
    cpu.clientUserNanos += threads.getCurrentThreadUserTime() - userBefore;
    cpu.clientCpuNanos += threads.getCurrentThreadCpuTime() - before;
    cpu.handshakes++;
    return session;
  }

  /**
   * The JDK's TLS server on a loopback port, one connection at a time on its own thread: handshake
   * (client certificate required), read one byte, answer one byte, read to the client's close.
   */
  static final class LoopbackTlsServer implements AutoCloseable {
    private final SSLServerSocket listener;
    private final Thread thread;
    private volatile Certificate[] lastClientChain;

    private LoopbackTlsServer(SSLServerSocket listener) {
      this.listener = listener;
      this.thread = new Thread(this::serve, "loopback-tls-server");
      thread.setDaemon(true);
    }

    static LoopbackTlsServer start(javax.net.ssl.SSLContext context, String tls) throws IOException {
      SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
          .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
      listener.setNeedClientAuth(true);
      listener.setEnabledProtocols(new String[] {tls});
      LoopbackTlsServer server = new LoopbackTlsServer(listener);
      server.thread.start();
      return server;
    }

    int port() {
      return listener.getLocalPort();
    }

    /** The client chain the server saw in the last handshake: the client may be done before it. */
    Certificate[] awaitClientChain() throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (lastClientChain == null && System.nanoTime() < end) Thread.sleep(1);
      return lastClientChain;
    }

    private void serve() {
      while (!listener.isClosed()) {
        try (Socket accepted = listener.accept()) {
          SSLSocket socket = (SSLSocket) accepted;
          socket.setTcpNoDelay(true);
          socket.setSoTimeout(5_000);
          socket.startHandshake();
          lastClientChain = socket.getSession().getPeerCertificates();
          InputStream in = socket.getInputStream();
          if (in.read() < 0) continue;
          OutputStream out = socket.getOutputStream();
          out.write(2);
          out.flush();
          while (in.read() >= 0) {
            // until the client's close_notify
          }
        } catch (IOException e) {
          // a client that went away, or the listener closed: go on or stop
        }
      }
    }

    @Override
    public void close() {
      try {
        listener.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
