package io.thingstorm.loadgen.run;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.Transports;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Connects made with a device's own identity and TLS settings against a throwaway server on loopback
 * in this JVM, before the first connect phase, so that the JIT compiles the connect path before the
 * run measures it. A cold JVM compiles while the ramp runs: for its first two seconds it kept up with
 * half the connect rate, the connects due then were answered up to 1.5 s late, and those seconds were
 * a short run's connect p99, though no platform caused them. Nothing reaches the platform.
 *
 * <p>An MQTT fleet warms up with whole MQTT connects (a new SSLContext, TCP, TLS, CONNECT and
 * CONNACK, DISCONNECT), because Paho's and the transport's code is compiled late too: handshakes
 * alone left C2 compiling through a ramp's first 4,000 connects. Other fleets make TLS handshakes.
 */
final class ConnectWarmUp {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ConnectWarmUp() {}

  /** What a warm-up connect is: a TLS handshake, or an MQTT connect of version 3 (3.1.1) or 5. */
  record Kind(int mqttVersion) {
    static final Kind TLS = new Kind(0);

    static Kind mqtt(int version) {
      if (version != 3 && version != 5) throw new IllegalArgumentException("MQTT version is 3 or 5, not " + version);
      return new Kind(version);
    }

    boolean isMqtt() {
      return mqttVersion != 0;
    }

    String plural() {
      return isMqtt() ? (mqttVersion == 5 ? "MQTT 5" : "MQTT 3.1.1") + " connects" : "TLS handshakes";
    }
  }

  /**
   * What the warm-up did.
   *
   * @param compiling how long it went on past its first stop (its count or its time) because the JIT
   *     was still compiling
   */
  record Outcome(Kind kind, int connects, Duration took, Duration compiling, String failure) {
    String note() {
      String jit = compiling.isZero() ? "" : String.format(Locale.ROOT, " (the last %.1f s while the JIT was still compiling)", compiling.toMillis() / 1000.0);
      String what = String.format(Locale.ROOT, "warm-up: %,d %s with the first device's identity against a server of the generator's own, in %.1f s%s, before the first connect",
          connects, kind.plural(), took.toMillis() / 1000.0, jit);
      return failure == null ? what : what + " (stopped: " + failure + ")";
    }
  }

  /**
   * Connects, {@code concurrency} at a time, until {@code connects} are made or {@code connecting}
   * has passed; past that, only while the JIT is still compiling (see {@link CompilerBacklog}), for
   * {@code compiling} more at most. {@code onConnect} runs after each connect, for live progress. A
   * connect this server cannot take (versions or suites it lacks) ends the warm-up, not the run.
   */
  static Outcome run(Kind kind, TlsSettings settings, PlatformProfile profile, ThingIdentity device,
      int connects, int concurrency, Duration connecting, Duration compiling, Runnable onConnect) {
    long start = System.nanoTime();
    long firstStop = start + connecting.toNanos();
    long lastStop = firstStop + compiling.toNanos();
    AtomicInteger done = new AtomicInteger();
    long extendedFrom = 0;
    String failure = null;
    try (Server server = Server.start(settings, keyTypeOf(device))) {
      // Full handshakes: those are what compile.
      TlsSettings warming = settings.newBuilder().trust(TrustMaterial.of(List.of(server.authority()), false))
          .sessionResumption(false).build();
      ThingTls shared = kind.isMqtt() ? null : warming.forIdentity(device); // handshakes share one context
      AtomicInteger next = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean jitBusy = new AtomicBoolean(); // past the count, the clients go on while it is set
      var failures = new ConcurrentLinkedQueue<String>();
      // Each client stops when told, and each connect within its timeouts.
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int c = 0; c < concurrency; c++) {
          clients.submit(() -> {
            while (!stop.get() && failures.isEmpty() && (next.getAndIncrement() < connects || jitBusy.get())) {
              try {
                if (kind.isMqtt()) {
                  // A context per connect, as each device makes its own.
                  mqttConnect(kind, warming.forIdentity(device), profile, device, server.port());
                } else {
                  handshake(shared, server.port());
                }
                done.incrementAndGet();
                onConnect.run();
              } catch (IOException | RuntimeException e) {
                failures.add(String.valueOf(e.getMessage()));
              }
            }
          });
        }
        clients.shutdown();
        CompilerBacklog jit = new CompilerBacklog();
        try {
          while (!clients.awaitTermination(CompilerBacklog.POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            // With a compile budget, asked at every poll: it compares with the last one.
            jitBusy.set(compiling.isPositive() && !jit.idle() && now < lastStop);
            if (done.get() < connects && now < firstStop) continue;
            if (!jitBusy.get()) {
              stop.set(true);
            } else if (extendedFrom == 0) {
              extendedFrom = now;
            }
          }
        } catch (InterruptedException e) {
          stop.set(true);
          Thread.currentThread().interrupt(); // the run is being stopped: it sees the flag
        }
      }
      failure = failures.peek();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      failure = String.valueOf(e.getMessage());
    }
    long end = System.nanoTime();
    return new Outcome(kind, done.get(), Duration.ofNanos(end - start),
        Duration.ofNanos(extendedFrom == 0 ? 0 : end - extendedFrom), failure);
  }

  private static void handshake(ThingTls tls, int port) throws IOException {
    // Named localhost, so that SNI and the host name check run as they do for a platform's name.
    var address = new InetSocketAddress(InetAddress.getByAddress("localhost", LOOPBACK.getAddress()), port);
    try (SSLSocket socket = (SSLSocket) ForwardingSslSocketFactory.toHost(tls.socketFactory().createSocket(), "localhost")) {
      socket.connect(address, (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.startHandshake();
    }
  }

  private static void mqttConnect(Kind kind, ThingTls tls, PlatformProfile profile, ThingIdentity device, int port) {
    TransportConfig config = TransportConfig.builder()
        .url(URI.create("mqtts://localhost:" + port))
        .identity(device)
        .tls(tls)
        .profile(profile)
        .connectTimeout(TIMEOUT)
        .ackTimeout(TIMEOUT)
        .build();
    Transport transport = Transports.create(config, kind.mqttVersion());
    try {
      transport.connect();
    } finally {
      transport.close();
    }
  }

  private static KeyType keyTypeOf(ThingIdentity device) {
    return new CertifiedKey(device.chain(), device.privateKey()).keyType();
  }

  /**
   * A TLS server on loopback that takes any client certificate. To MQTT it answers CONNECT with
   * CONNACK and PINGREQ with PINGRESP, and ends at DISCONNECT; a bare handshake's client just closes.
   */
  private static final class Server implements AutoCloseable {
    private static final byte[] CONNACK_V3 = {0x20, 0x02, 0x00, 0x00};
    private static final byte[] CONNACK_V5 = {0x20, 0x03, 0x00, 0x00, 0x00}; // no properties
    private static final byte[] PINGRESP = {(byte) 0xD0, 0x00};

    private final SSLServerSocket socket;
    private final X509Certificate authority;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();

    private Server(SSLServerSocket socket, X509Certificate authority) {
      this.socket = socket;
      this.authority = authority;
    }

    static Server start(TlsSettings settings, KeyType keyType) throws IOException, GeneralSecurityException {
      CertificateAuthority ca = CertificateAuthority.createRoot("thingstorm warm-up CA", keyType, 1);
      String sni = settings.sniHostName();
      List<String> hosts = sni == null || sni.equals("localhost") ? List.of("localhost") : List.of("localhost", sni);
      CertifiedKey identity = ca.issueServer("localhost", hosts, List.of(LOOPBACK.getHostAddress()), keyType, 1);
      char[] password = "warm-up".toCharArray();
      KeyStore keys = identity.keyStore("server", password);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), new X509TrustManager[] {new AnyClient()}, null);
      SSLServerSocket listening = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 64, LOOPBACK);
      listening.setNeedClientAuth(true);
      Server server = new Server(listening, ca.certificate());
      server.connections.submit(server::accept);
      return server;
    }

    X509Certificate authority() {
      return authority;
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket accepted = socket.accept();
          connections.submit(() -> serve((SSLSocket) accepted));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private static void serve(SSLSocket connection) {
      try (connection) {
        connection.setSoTimeout((int) TIMEOUT.toMillis());
        connection.startHandshake();
        answerMqtt(connection.getInputStream(), connection.getOutputStream());
      } catch (IOException | RuntimeException ended) {
        // the client's close may come as a reset; a warm-up has nothing to report of it
      }
    }

    /** Until the client closes or sends DISCONNECT. */
    private static void answerMqtt(InputStream in, OutputStream out) throws IOException {
      int header;
      while ((header = in.read()) >= 0) {
        byte[] body = in.readNBytes(remainingLength(in));
        switch (header >> 4) {
          // CONNECT: protocol name "MQTT" (2 + 4 bytes), then the protocol level, 4 or 5.
          case 1 -> out.write(body.length > 6 && body[6] == 5 ? CONNACK_V5 : CONNACK_V3);
          case 12 -> out.write(PINGRESP);
          case 14 -> {
            return;
          }
          default -> {
            // nothing else is sent by a warm-up's client
          }
        }
        out.flush();
      }
    }

    private static int remainingLength(InputStream in) throws IOException {
      int length = 0;
      for (int shift = 0; shift <= 21; shift += 7) {
        int b = in.read();
        if (b < 0) throw new EOFException("in an MQTT header");
        length |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) return length;
      }
      throw new IOException("malformed MQTT remaining length");
    }

    @Override
    public void close() throws IOException {
      socket.close();
      connections.shutdownNow();
    }
  }

  /** The warm-up's server checks nothing: its only client is this JVM. */
  private static final class AnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a server's trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
