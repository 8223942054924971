package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Half-open peers: one accepts TCP and never answers the TLS handshake, the other completes TLS and
 * then answers nothing (no CONNACK, no HTTP response, no WebSocket upgrade). For every transport the
 * connect fails as a timeout, and after 20 such failures per peer and closing the devices the JVM's
 * platform and virtual threads and the process's open files are back where they were. A third
 * answers MQTT's CONNECT and then nothing: a QoS 1 publish to it fails as a timeout too. A fourth
 * never answers the TCP connect. A fifth answers the WebSocket upgrade and then nothing, not even a ping:
 * a WSS device finds the connection lost after one and a half keep-alives.
 */
class HalfOpenPeerTest {
  static final int N = 20;
  /**
   * Threads and files that come and go on their own. A leak of one per connection would be 2 x N = 40;
   * OkHttp's TaskRunner alone was once seen 5 threads over its baseline after a burst on a slow machine.
   */
  static final int SLACK = 8;
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** The timeout plus what 40 connects at once on a busy 2-core machine add: a bound, not a speed. */
  static final Duration BOUND = TIMEOUT.plusSeconds(5);
  static final byte[] SENML = "[{\"n\":\"t\",\"v\":1}]".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  static TestPki pki;
  static TlsSettings tls;
  static ThingIdentity thing;
  static SilentPeer tcpOnly;
  static SilentPeer tlsOnly;
  static SilentPeer connackOnly;
  static SilentPeer upgradeOnly;

  @BeforeAll
  static void startPeers() throws Exception {
    pki = TestPki.create(dir);
    tls = TlsSettings.builder().caBundle(pki.caFile()).build();
    thing = Things.identity(pki, "half-open-thing");
    tcpOnly = new SilentPeer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), false);
    tlsOnly = new SilentPeer(serverContext().getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress()), true);
    connackOnly = new SilentPeer(serverContext().getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress()), true, true);
    upgradeOnly = new SilentPeer(serverContext().getServerSocketFactory().createServerSocket(0, 200, InetAddress.getLoopbackAddress()), true, false, true);
  }

  @AfterAll
  static void stopPeers() throws IOException {
    if (tcpOnly != null) tcpOnly.close();
    if (tlsOnly != null) tlsOnly.close();
    if (connackOnly != null) connackOnly.close();
    if (upgradeOnly != null) upgradeOnly.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mqtt3", "mqtt5", "https", "wss"})
  void aHalfOpenPeerTimesOutAndLeaksNoThreadOrConnection(String transport) throws Exception {
    Function<SilentPeer, Device> device = peer -> Device.builder()
        .url(url(transport, peer.port())).identity(thing).tls(tls).mqttVersion(transport.equals("mqtt5") ? 5 : 3)
        // A peer that never answers TLS must be cut by the connect timeout, whatever the ack timeout.
        .connectTimeout(TIMEOUT).ackTimeout(peer == tcpOnly ? Duration.ofSeconds(30) : TIMEOUT).offlineBuffer(0).build();
    // Warm up with a burst of the same size: classes load, and pools reach the size such a burst
    // gives them (OkHttp's TaskRunner keeps idle threads for 60 s) before the baseline.
    failAgainstBothPeers(burst(device), transport);
    Resources baseline = Resources.baseline();
    Set<String> baselineThreads = platformThreadNames();

    int acceptedBefore = tcpOnly.accepted.get() + tlsOnly.accepted.get();
    failAgainstBothPeers(burst(device), transport);
    assertThat(tcpOnly.accepted.get() + tlsOnly.accepted.get() - acceptedBefore).as("connections the peers saw").isGreaterThanOrEqualTo(2 * N);

    // Slack: a few threads and files come and go on their own (OkHttp's pool cleaner, a common-pool
    // worker, a JAR file opened by a late class load); a leak of one per connection would be 40.
    Resources after = Resources.settled(baseline, SLACK);
    assertThat(after.within(baseline, SLACK)).as(() -> after + " after 2 x " + N + " failed connects, from " + baseline
        + "; new platform threads: " + newPlatformThreads(baselineThreads) + "; virtual threads now:\n" + Resources.virtualThreadStacks()).isTrue();
  }

  /**
   * A peer whose accept queue is full drops every SYN, so the TCP connect itself never ends: the
   * connect times out, and Paho's connect task, which would wait in the kernel's SYN retries for two
   * minutes, ends with it because the socket is closed at the connect's deadline.
   */
  @ParameterizedTest(name = "mqtt{0}")
  @ValueSource(ints = {3, 5})
  void aPeerThatNeverAnswersTheTcpConnectTimesOutAndPahosConnectTaskEnds(int mqttVersion) throws Exception {
    try (ServerSocket unanswering = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        QueueFiller filler = QueueFiller.fill(unanswering)) {
      String clientId = "unanswered-" + mqttVersion + "-" + UUID.randomUUID();
      Device device = Device.builder().url(url("mqtt", unanswering.getLocalPort())).identity(thing).tls(tls)
          .clientId(clientId).mqttVersion(mqttVersion).connectTimeout(TIMEOUT).offlineBuffer(0).build();
      Duration took = assertTimesOut(device, "mqtt" + mqttVersion);
      // Not after waiting for the connect task to end on its own (twice the timeout and 2 s more).
      assertThat(took).as("gave up at the connect timeout").isLessThan(TIMEOUT.multipliedBy(2).plusSeconds(1));
      // Paho names its connect task's thread after the client: this device's task, not another test's.
      String connectTask = "\"MQTT Con: " + clientId + "\"";
      String stacks = "";
      for (int i = 0; i < 50; i++) {
        stacks = Resources.threadDump();
        if (!stacks.contains(connectTask)) break;
        Thread.sleep(100);
      }
      assertThat(stacks).as("Paho's connect task, 5 s after the connect timed out").doesNotContain(connectTask);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {3, 5})
  void aPublishNobodyAcknowledgesFailsAsATimeout(int mqttVersion) throws Exception {
    TransportConfig config = TransportConfig.builder().url(java.net.URI.create(url("mqtt", connackOnly.port())))
        .identity(thing).tls(tls.forIdentity(thing)).connectTimeout(BOUND).ackTimeout(TIMEOUT).build();
    try (Transport transport = Transports.create(config, mqttVersion)) {
      transport.connect();
      long t0 = System.nanoTime();
      java.util.concurrent.CompletableFuture<Void> pending = transport.publishAsync("channel", null, SENML, Transport.SENML_JSON, 1, false);
      assertThat(pending).as("a publish nobody acknowledged, just handed over").isNotDone();
      Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> pending.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
      assertThat(failure).hasCauseInstanceOf(DeviceException.class);
      assertThat(((DeviceException) failure.getCause()).kind()).isEqualTo(FailureKind.TIMEOUT);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("gave up after the ack timeout").isGreaterThanOrEqualTo(TIMEOUT);
      // The blocking publish waits on the same outcome and throws the failure itself.
      assertThatThrownBy(() -> transport.publish("channel", null, SENML, Transport.SENML_JSON, 1, false))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
    }
  }

  /** The keep-alive pings go out on the devices' shared scheduler; a peer that answers none is a lost connection. */
  @Test
  void aWssPeerThatAnswersNoPingIsALostConnectionAfterOneAndAHalfKeepAlives() throws Exception {
    TransportConfig config = TransportConfig.builder().url(java.net.URI.create(url("wss", upgradeOnly.port())))
        .identity(thing).tls(tls.forIdentity(thing)).keepAliveSeconds(1).connectTimeout(BOUND).ackTimeout(TIMEOUT).build();
    java.util.concurrent.CompletableFuture<DeviceException> lost = new java.util.concurrent.CompletableFuture<>();
    try (Transport transport = new io.thingstorm.client.ws.WssTransport(config)) {
      transport.onConnectionLost(lost::complete);
      long t0 = System.nanoTime();
      transport.publish("channel", null, SENML, Transport.SENML_JSON, 0, false);

      DeviceException why = lost.get(10, TimeUnit.SECONDS);
      Duration after = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(why.kind()).as(why.getMessage()).isEqualTo(FailureKind.CONNECTION_LOST);
      assertThat(why.getMessage()).contains("the platform answered no WebSocket ping for").contains("(keep-alive 1 s)");
      assertThat(after).as("lost once 1.5 keep-alives passed without a pong, at the next ping").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
  }

  static List<Device> burst(Function<SilentPeer, Device> device) {
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      devices.add(device.apply(tcpOnly));
      devices.add(device.apply(tlsOnly));
    }
    return devices;
  }

  static Set<String> platformThreadNames() {
    Set<String> names = new java.util.TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) names.add(t.getName() + "#" + t.threadId());
    return names;
  }

  static Set<String> newPlatformThreads(Set<String> baseline) {
    Set<String> now = platformThreadNames();
    now.removeAll(baseline);
    return now;
  }

  /** All at once, as a fleet would meet a half-open server. */
  static void failAgainstBothPeers(List<Device> devices, String transport) throws Exception {
    try (ExecutorService connects = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (Device d : devices) done.add(connects.submit(() -> assertTimesOut(d, transport)));
      for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    }
  }

  /** Connects (MQTT) or publishes (HTTPS and WSS connect on first use); must fail as a timeout, in time; then closes. */
  static Duration assertTimesOut(Device device, String transport) {
    long t0 = System.nanoTime();
    DeviceException failure = null;
    try (device) {
      if (transport.startsWith("mqtt")) device.connect();
      else device.publish("channel", SENML);
    } catch (DeviceException e) {
      failure = e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(failure).as("%s against a half-open peer", transport).isNotNull();
    assertThat(failure.kind()).as("%s: %s", transport, failure.getMessage()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(took).as("%s gave up", transport).isLessThan(BOUND);
    return took;
  }

  static String url(String transport, int port) {
    return switch (transport) {
      case "https" -> "https://localhost:" + port + "/http";
      case "wss" -> "wss://localhost:" + port + "/ws";
      default -> "mqtts://localhost:" + port;
    };
  }

  static SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    List<X509Certificate> chain = Pem.readCertificates(pki.serverCert());
    store.setKeyEntry("server", Pem.readPrivateKey(pki.serverKey(), PasswordSource.none()), new char[0], chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /** Accepts, optionally completes TLS, then reads and never writes; closes its end when the client does. */
  static final class SilentPeer implements AutoCloseable {
    final ServerSocket server;
    final boolean handshake;
    final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    final Set<Socket> open = ConcurrentHashMap.newKeySet();

    final boolean connack;
    final boolean upgrade;

    SilentPeer(ServerSocket server, boolean handshake) {
      this(server, handshake, false);
    }

    /** With {@code connack}, it also reads MQTT's CONNECT and accepts it, then answers nothing more. */
    SilentPeer(ServerSocket server, boolean handshake, boolean connack) {
      this(server, handshake, connack, false);
    }

    /** With {@code upgrade}, it answers a WebSocket upgrade with 101, then answers nothing more. */
    SilentPeer(ServerSocket server, boolean handshake, boolean connack, boolean upgrade) {
      this.server = server;
      this.handshake = handshake;
      this.connack = connack;
      this.upgrade = upgrade;
      Thread.ofPlatform().daemon().name("silent-peer-" + port()).start(this::acceptLoop);
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          open.add(socket);
          Thread.ofVirtual().start(() -> swallow(socket));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void swallow(Socket socket) {
      try (socket; InputStream in = socket.getInputStream()) {
        if (handshake) ((SSLSocket) socket).startHandshake();
        if (connack) acceptConnect(in, socket.getOutputStream());
        if (upgrade) acceptUpgrade(in, socket.getOutputStream());
        in.transferTo(OutputStreamSink.INSTANCE);
      } catch (IOException gone) {
        // the client closed or reset: what is wanted
      } finally {
        open.remove(socket);
      }
    }

    /** Reads the upgrade request's head and answers 101 with its Sec-WebSocket-Accept (RFC 6455, 4.2.2). */
    private static void acceptUpgrade(InputStream in, java.io.OutputStream out) throws IOException {
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) throw new java.io.EOFException();
        head.append((char) b);
      }
      java.util.regex.Matcher key = java.util.regex.Pattern.compile("(?i)Sec-WebSocket-Key: *(\\S+)").matcher(head);
      if (!key.find()) throw new IOException("no Sec-WebSocket-Key");
      String accept;
      try {
        accept = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1")
            .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IOException(e);
      }
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    /** Reads CONNECT (fixed header, remaining length, body) and answers CONNACK 0 in the client's MQTT version. */
    private static void acceptConnect(InputStream in, java.io.OutputStream out) throws IOException {
      in.read(); // CONNECT's fixed header
      int length = 0;
      for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
        b = in.read();
        if (b < 0) throw new java.io.EOFException();
        length |= (b & 0x7f) << shift;
      }
      byte[] body = in.readNBytes(length);
      boolean v5 = body.length > 6 && body[6] == 5; // protocol name "MQTT" (2 + 4 bytes), then its level
      out.write(v5 ? new byte[] {0x20, 3, 0, 0, 0} : new byte[] {0x20, 2, 0, 0});
      out.flush();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : open) socket.close();
    }
  }

  /** Connections that fill a listener's accept queue, which nobody accepts: the kernel drops SYNs after them. */
  record QueueFiller(List<Socket> sockets) implements AutoCloseable {
    static QueueFiller fill(ServerSocket server) throws IOException {
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Socket socket = new Socket();
        try {
          socket.connect(server.getLocalSocketAddress(), 300);
          sockets.add(socket);
        } catch (java.net.SocketTimeoutException full) {
          socket.close();
          return new QueueFiller(sockets);
        }
      }
      throw new IllegalStateException("20 connections and the accept queue of " + server + " is still not full");
    }

    @Override
    public void close() throws IOException {
      for (Socket socket : sockets) socket.close();
    }
  }

  /** Discards what it is given. */
  static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

  /** Live platform threads, live virtual threads (from a thread dump) and open file descriptors. */
  record Resources(int platformThreads, int virtualThreads, long openFiles) {
    /** Counts once the warm-up's connections and threads have wound down: two equal counts in a row. */
    static Resources baseline() throws Exception {
      Resources last = count();
      for (int i = 0; i < 30; i++) {
        Thread.sleep(100);
        Resources now = count();
        if (now.equals(last)) return now;
        last = now;
      }
      return last;
    }

    /** Counts until within {@code slack} of the baseline, for at most 10 s: closing sockets and ending threads take a moment. */
    static Resources settled(Resources baseline, int slack) throws Exception {
      Resources now = count();
      for (int i = 0; i < 100 && !now.within(baseline, slack); i++) {
        Thread.sleep(100);
        now = count();
      }
      return now;
    }

    boolean within(Resources baseline, int slack) {
      return platformThreads <= baseline.platformThreads + slack && virtualThreads <= baseline.virtualThreads + slack
          && openFiles <= baseline.openFiles + slack;
    }

    /** The virtual threads' stacks, shortened: what a failed assertion shows. */
    static String virtualThreadStacks() {
      try {
        String dump = threadDump();
        StringBuilder out = new StringBuilder();
        for (String thread : dump.split("\n\n")) {
          if (thread.startsWith("#") && thread.lines().findFirst().orElse("").contains("virtual")) {
            out.append(thread.lines().limit(8).reduce((a, b) -> a + "\n" + b).orElse("")).append("\n");
          }
        }
        return out.length() > 6000 ? out.substring(0, 6000) : out.toString();
      } catch (Exception e) {
        return "(no thread dump: " + e + ")";
      }
    }

    static String threadDump() throws Exception {
      Path dump = Files.createTempFile(dir, "threads", ".txt");
      Files.delete(dump); // the bean refuses to overwrite
      ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
      try {
        return Files.readString(dump);
      } finally {
        Files.delete(dump);
      }
    }

    static Resources count() throws Exception {
      int platform = Thread.getAllStackTraces().size();
      int virtual = (int) threadDump().lines().filter(line -> line.matches("#\\d+ \".*\" virtual.*")).count();
      long files;
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        files = fds.count();
      }
      return new Resources(platform, virtual, files);
    }
  }
}
