package io.thingstorm.benchmarks;

import io.thingstorm.certs.*;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.*;
import java.io.*;
import java.lang.management.*;
import java.net.*;
import java.security.*;
import java.security.cert.X509Certificate;
import java.util.*;
import javax.net.ssl.*;

/**
 * The client's CPU per full TLS 1.3 handshake over loopback for several client settings, taken
 * handshake by handshake in turn (remembered or checked chains; default or x25519 groups) against
 * one in-process JDK server, so that every variant sees the same load: on a shared machine, where
 * separate JMH trials minutes apart vary 2-3 x, their differences still show. The first third of
 * the rounds warms up and is not counted; each round starts with the next variant. Differences under
 * about 0.1 ms still come and go from run to run: run it several times.
 *
 * <p>With {@code fast}, the JDK's TLS runs as a fleet's does under {@code provider: jdk}: Conscrypt's
 * ECDSA and {@link KeyShares} beneath it, and two more variants offer secp256r1 first (the JDK's
 * other groups after) and alone. The in-process server, like OpenSSL before 3.5, agrees on the
 * client's first share, so they show whether Conscrypt's P-256 agreement costs the client less than
 * Bouncy Castle's X25519 in a handshake.
 *
 * <p>Usage: {@code java -cp 'benchmarks/target/benchmarks.jar:benchmarks/target/lib/*'
 * io.thingstorm.benchmarks.InterleavedHandshakes [ROUNDS=1500] [JDK|CONSCRYPT] [fast]}
 */
public final class InterleavedHandshakes {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args.length > 0 ? args[0] : "1500");
    String prov = args.length > 1 ? args[1] : "JDK";
    boolean fast = args.length > 2 && args[2].equals("fast");
    if (fast) {
      ConscryptSignatures.install();
      KeyShares.install();
    }
    CertificateAuthority ca = CertificateAuthority.createRoot("ab CA", KeyType.EC_P256, 30);
    CertifiedKey server = ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC_P256, 30);
    CertifiedKey thing = ca.issueThing("ab-thing", KeyType.EC_P256, 60);
    char[] pw = "x".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12"); ks.load(null, null);
    ks.setKeyEntry("s", server.privateKey(), pw, server.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); kmf.init(ks, pw);
    KeyStore ts = KeyStore.getInstance("PKCS12"); ts.load(null, null); ts.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX"); tmf.init(ts);
    SSLContext sc = SSLContext.getInstance("TLS"); sc.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLServerSocket ss = (SSLServerSocket) sc.getServerSocketFactory().createServerSocket(0, 128, InetAddress.getLoopbackAddress());
    ss.setNeedClientAuth(true);
    Thread t = new Thread(() -> { while (true) { try (Socket s = ss.accept()) { ((SSLSocket) s).startHandshake(); s.getInputStream().read(); } catch (IOException e) { } } });
    t.setDaemon(true); t.start();
    ThingIdentity id = ThingIdentity.builder().certifiedKey(thing).build();
    TrustMaterial trust = TrustMaterial.of(List.of(ca.certificate()), false);
    TlsProvider p = TlsProvider.parse(prov);
    Map<String, ThingTls> variants = new LinkedHashMap<>();
    TlsSettings base = TlsSettings.builder().trust(trust).provider(p).versions("1.3").sessionResumption(false).build();
    variants.put("remembered", base.forIdentity(id));
    variants.put("checked", base.newBuilder().rememberAcceptedChains(false).build().forIdentity(id));
    if (p == TlsProvider.JDK) {
      variants.put("remembered+x25519", base.newBuilder().namedGroups("x25519").build().forIdentity(id));
      variants.put("checked+x25519", base.newBuilder().rememberAcceptedChains(false).namedGroups("x25519").build().forIdentity(id));
      if (fast) {
        variants.put("remembered+p256-first", base.newBuilder().namedGroups("secp256r1", "x25519", "secp384r1", "secp521r1", "x448",
            "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192").build().forIdentity(id));
        variants.put("remembered+p256", base.newBuilder().namedGroups("secp256r1").build().forIdentity(id));
      }
    }
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    InetSocketAddress addr = new InetSocketAddress("localhost", ss.getLocalPort());
    Map<String, long[]> acc = new LinkedHashMap<>();
    variants.keySet().forEach(k -> acc.put(k, new long[3]));
    for (int r = 0; r < rounds; r++) {
      boolean counted = r >= rounds / 3; // first third: warm-up
      // Each round starts one variant later, so that no variant always comes first.
      List<Map.Entry<String, ThingTls>> order = new ArrayList<>(variants.entrySet());
      Collections.rotate(order, -(r % order.size()));
      for (var e : order) {
        long c0 = tm.getCurrentThreadCpuTime(), u0 = tm.getCurrentThreadUserTime();
        try (SSLSocket s = (SSLSocket) e.getValue().socketFactory().createSocket()) {
          s.setTcpNoDelay(true); s.connect(addr, 5000); s.setSoTimeout(5000); s.startHandshake();
        }
        long c1 = tm.getCurrentThreadCpuTime(), u1 = tm.getCurrentThreadUserTime();
        if (counted) { long[] a = acc.get(e.getKey()); a[0] += c1 - c0; a[1] += u1 - u0; a[2]++; }
      }
    }
    System.out.printf("%s%s, %d handshakes per variant counted (after %d warm-up), interleaved; load %s%n", prov, fast ? " (Conscrypt's ECDSA, fast key shares)" : "", acc.values().iterator().next()[2], rounds / 3,
        new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
    for (var e : acc.entrySet()) {
      long[] a = e.getValue();
      System.out.printf("  %-22s client CPU %5.0f us/hs (kernel %4.0f)%n", e.getKey(), a[0] / 1000.0 / a[2], (a[0] - a[1]) / 1000.0 / a[2]);
    }
  }
}
