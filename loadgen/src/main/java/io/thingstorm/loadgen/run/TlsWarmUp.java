package io.thingstorm.loadgen.run;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.tls.TrustMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * Full TLS handshakes with a device's own identity and TLS settings, against a throwaway server on
 * loopback in this JVM, before the first connect phase. A cold JVM compiles its handshake path while
 * the ramp runs: for its first two seconds it kept up with half the connect rate, the connects due
 * then were answered up to 1.5 s late, and those seconds were a short run's connect p99, though no
 * platform caused them. Nothing reaches the platform.
 */
final class TlsWarmUp {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private TlsWarmUp() {}

  /** What the warm-up did. */
  record Outcome(int handshakes, Duration took, String failure) {
    String note() {
      String what = String.format(java.util.Locale.ROOT, "warm-up: %d TLS handshakes with the first device's identity against a server of the generator's own, in %.1f s, before the first connect",
          handshakes, took.toMillis() / 1000.0);
      return failure == null ? what : what + " (stopped: " + failure + ")";
    }
  }

  /**
   * Up to {@code handshakes} handshakes, {@code concurrency} at a time, for at most {@code budget}.
   * A handshake this server cannot make (versions or suites it lacks) ends the warm-up, not the run.
   */
  static Outcome run(TlsSettings settings, ThingIdentity device, int handshakes, int concurrency, Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    AtomicInteger done = new AtomicInteger();
    String failure = null;
    try (Server server = Server.start(settings, keyTypeOf(device))) {
      ThingTls tls = settings.newBuilder().trust(TrustMaterial.of(List.of(server.authority()), false))
          .sessionResumption(false).build().forIdentity(device); // full handshakes: those are what compile
      AtomicInteger next = new AtomicInteger();
      var failures = new ConcurrentLinkedQueue<String>();
      // Each client stops at the deadline, and each handshake within its socket timeouts.
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int c = 0; c < concurrency; c++) {
          clients.submit(() -> {
            while (next.getAndIncrement() < handshakes && System.nanoTime() < deadline && failures.isEmpty()) {
              try {
                handshake(tls, server.port());
                done.incrementAndGet();
              } catch (IOException | RuntimeException e) {
                failures.add(String.valueOf(e.getMessage()));
              }
            }
          });
        }
      }
      failure = failures.peek();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      failure = String.valueOf(e.getMessage());
    }
    return new Outcome(done.get(), Duration.ofNanos(System.nanoTime() - start), failure);
  }

  private static void handshake(ThingTls tls, int port) throws IOException {
    // Named localhost, so that SNI and the host name check run as they do for a platform's name.
    var address = new InetSocketAddress(InetAddress.getByAddress("localhost", LOOPBACK.getAddress()), port);
    try (SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket()) {
      socket.connect(address, 5_000);
      socket.setSoTimeout(5_000);
      socket.startHandshake();
    }
  }

  private static KeyType keyTypeOf(ThingIdentity device) {
    return new CertifiedKey(device.chain(), device.privateKey()).keyType();
  }

  /** A TLS server on loopback that takes any client certificate and sends nothing after the handshake. */
  private static final class Server implements AutoCloseable {
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
      try (connection; InputStream in = connection.getInputStream()) {
        connection.setSoTimeout(5_000);
        connection.startHandshake();
        while (in.read() >= 0) {
          // until the client closes
        }
      } catch (IOException | RuntimeException ended) {
        // the client's close may come as a reset; a warm-up has nothing to report of it
      }
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
