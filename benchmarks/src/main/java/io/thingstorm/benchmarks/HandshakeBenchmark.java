package io.thingstorm.benchmarks;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.tls.TlsProvider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
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

/**
 * What one TLS handshake costs in CPU, crypto and protocol only: a client {@link SSLEngine} (the
 * thing, built as thingstorm's client builds it) and a server engine (the JDK's JSSE, as HiveMQ and
 * Jetty use it) handshake through byte buffers in memory, then send one byte each way (which also
 * carries TLS 1.3's session ticket to the client). No socket, no system calls: the difference from a
 * socket handshake is the network stack's and the event loop's.
 *
 * <p>Reading the figure: the score is microseconds per handshake for both sides together, on one
 * thread. The secondary counters {@code clientNanos}, {@code serverNanos} and {@code handshakes} add
 * up the thread CPU time spent inside each engine (wrap, unwrap, delegated tasks); clientNanos / handshakes is
 * the device's cost of one handshake, serverNanos / handshakes the platform's ({@code ResultsTable}
 * divides them). Compare {@code mutual} with {@code server-only} for the price of the client
 * certificate, {@code resumed} with {@code full} for what session resumption saves, and the figure
 * with {@link CryptoLimitBenchmark}'s sum of one key agreement, one signature and two verifications
 * per side for how far the handshake is from its crypto.
 *
 * <p>Params: key type of the CA, the server and the thing alike; TLS version; the client's provider
 * (Conscrypt where its native library loads; Bouncy Castle JSSE is left out here, and
 * {@code thingstorm handshake --provider bcjsse} measures it); full or resumed (the client engine is made
 * for a known peer and the session cached from the previous handshake); mutual or server-only.
 * Conscrypt does not take ed25519 certificates: that pair fails in setup, in one line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class HandshakeBenchmark {
  @Param({"ec-p256", "ec-p384", "rsa-2048", "rsa-4096", "ed25519"})
  public String keyType;

  @Param({"TLSv1.3", "TLSv1.2"})
  public String tls;

  @Param({"JDK", "CONSCRYPT"})
  public String provider;

  @Param({"full", "resumed"})
  public String session;

  @Param({"mutual", "server-only"})
  public String auth;

  private SSLContext clientContext;
  private SSLContext serverContext;
  private final EnginePair pair = new EnginePair();
  private boolean resumed;
  private boolean mutual;

  /** Time inside each engine, added up per iteration; divide by handshakes for one handshake's. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class SideCosts {
    public long clientNanos;
    public long serverNanos;
    public long handshakes;

    @Setup(Level.Iteration)
    public void reset() {
      clientNanos = 0;
      serverNanos = 0;
      handshakes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyType type = KeyType.parse(keyType);
    TlsProvider tlsProvider = TlsProvider.parse(provider);
    if (tlsProvider == TlsProvider.CONSCRYPT && type == KeyType.ED25519) {
      throw new IllegalArgumentException("Conscrypt 2.5 does not handshake with ed25519 certificates: leave this pair out");
    }
    resumed = switch (session) {
      case "full" -> false;
      case "resumed" -> true;
      default -> throw new IllegalArgumentException("session is full or resumed, not " + session);
    };
    mutual = switch (auth) {
      case "mutual" -> true;
      case "server-only" -> false;
      default -> throw new IllegalArgumentException("auth is mutual or server-only, not " + auth);
    };
    BenchmarkPki pki = new BenchmarkPki(type);
    AtomicLong serverChecks = new AtomicLong();
    clientContext = pki.clientContext(tlsProvider, serverChecks::incrementAndGet);
    serverContext = pki.serverContext();

    // Once: the server must see the thing's certificate (CN = thing key) exactly when mutual.
    SSLEngine[] first = handshakeOnce();
    checkClientCertificate(first[1].getSession(), pki.thingKey);
    EngineCheck.requireProtocol(first[0].getSession(), tls);
    if (serverChecks.get() == 0) throw new IllegalStateException("a full handshake, yet the client did not check the server's certificate");
    if (resumed) {
      // A full handshake checks the server's certificate, a resumed one does not. Session creation
      // times cannot tell: Conscrypt's are whole seconds, and a TLS 1.3 resumption takes the new time.
      long before = serverChecks.get();
      handshakeOnce();
      if (serverChecks.get() != before) {
        throw new IllegalStateException(provider + " " + tls + " " + keyType + ": the second handshake did not resume the first one's session");
      }
    }
  }

  private void checkClientCertificate(SSLSession serverSession, String thingKey) {
    Certificate[] peer;
    try {
      peer = serverSession.getPeerCertificates();
    } catch (SSLPeerUnverifiedException none) {
      if (mutual) throw new IllegalStateException("mutual TLS, yet the server engine saw no client certificate");
      return;
    }
    if (!mutual) throw new IllegalStateException("server-only TLS, yet the server engine saw a client certificate");
    String cn = BenchmarkPki.commonName((X509Certificate) peer[0]);
    if (!cn.equals(thingKey)) {
      throw new IllegalStateException("the server engine saw the client certificate CN '" + cn + "', not the thing key");
    }
  }

  private SSLEngine[] handshakeOnce() throws SSLException {
    SSLEngine client = clientEngine();
    SSLEngine server = serverEngine();
    pair.handshake(client, server);
    EnginePair.close(client, server);
    return new SSLEngine[] {client, server};
  }

  private SSLEngine clientEngine() {
    // A peer host and port make the client look up (and store) a cached session; without them
    // neither the JDK nor Conscrypt resumes, so every handshake is full.
    SSLEngine engine = resumed ? clientContext.createSSLEngine("localhost", 8883) : clientContext.createSSLEngine();
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(new String[] {tls});
    engine.setSSLParameters(parameters);
    return engine;
  }

  private SSLEngine serverEngine() {
    SSLEngine engine = serverContext.createSSLEngine();
    engine.setUseClientMode(false);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(new String[] {tls});
    parameters.setNeedClientAuth(mutual);
    engine.setSSLParameters(parameters);
    return engine;
  }

  @Benchmark
  public SSLSession handshake(SideCosts costs) throws SSLException {
    SSLEngine client = clientEngine();
    SSLEngine server = serverEngine();
    pair.clientNanos = 0;
    pair.serverNanos = 0;
    pair.handshake(client, server);
    costs.clientNanos += pair.clientNanos;
    costs.serverNanos += pair.serverNanos;
    costs.handshakes++;
    EnginePair.close(client, server);
    return client.getSession();
  }
}
