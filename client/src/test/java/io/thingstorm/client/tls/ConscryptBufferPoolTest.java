package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testing.Nginx;
import io.thingstorm.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conscrypt sockets that take their buffers from a pool hand them on to the next socket, and each
 * connection still reads its own bytes: a real nginx serves a 200 KB file over mutual TLS.
 */
class ConscryptBufferPoolTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Nginx nginx;
  static byte[] file;

  @BeforeAll
  static void startNginx() throws IOException {
    pki = TestPki.create(dir);
    Path site = Files.createDirectories(dir.resolve("site"));
    file = new byte[200_000];
    Random random = new Random(7);
    for (int i = 0; i < file.length; i++) file[i] = (byte) ('a' + random.nextInt(26));
    Files.write(site.resolve("data.txt"), file);
    nginx = Nginx.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey(), "location / { root " + site + "; }");
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) nginx.close();
  }

  @Test
  void socketsOneAfterAnotherReuseTheSameBuffers() throws IOException {
    ConscryptBufferPool pool = new ConscryptBufferPool();
    ThingTls thing = conscrypt();
    int afterTen = 0;
    for (int i = 0; i < 30; i++) {
      try (SSLSocket socket = pool.applyTo(connect(thing))) {
        assertThat(fetch(socket)).as("connection %d", i).isEqualTo(file);
      }
      if (i == 9) afterTen = pool.allocated();
    }
    // The first sockets fill the pool (a few sizes: records, the 16 KB read buffer); the next
    // twenty allocate nothing. Unpooled, each socket allocates its own.
    assertThat(afterTen).isPositive();
    assertThat(pool.allocated()).isEqualTo(afterTen);
    assertThat(pool.idle()).isEqualTo(pool.allocated());
  }

  @Test
  void socketsOpenAtOnceNeverShareABuffer() throws IOException {
    ConscryptBufferPool pool = new ConscryptBufferPool();
    ThingTls thing = conscrypt();
    for (int round = 0; round < 3; round++) {
      try (SSLSocket a = pool.applyTo(connect(thing)); SSLSocket b = pool.applyTo(connect(thing))) {
        a.startHandshake();
        b.startHandshake();
        request(a);
        request(b);
        // Read a little of each in turn, so that both hold buffers while the other reads.
        ByteArrayOutputStream fromA = new ByteArrayOutputStream();
        ByteArrayOutputStream fromB = new ByteArrayOutputStream();
        boolean aOpen = true;
        boolean bOpen = true;
        while (aOpen || bOpen) {
          if (aOpen) aOpen = readSome(a.getInputStream(), fromA);
          if (bOpen) bOpen = readSome(b.getInputStream(), fromB);
        }
        assertThat(body(fromA.toByteArray())).isEqualTo(file);
        assertThat(body(fromB.toByteArray())).isEqualTo(file);
      }
    }
    assertThat(pool.idle()).isEqualTo(pool.allocated());
  }

  @Test
  void aJdkSocketIsLeftAsItIs() throws IOException {
    ConscryptBufferPool pool = new ConscryptBufferPool();
    ThingTls thing = TlsSettings.builder().trust(TrustMaterial.fromBundle(pki.caFile())).provider(TlsProvider.JDK)
        .build().forIdentity(identity());
    try (SSLSocket socket = pool.applyTo(connect(thing))) {
      assertThat(fetch(socket)).isEqualTo(file);
    }
    assertThat(pool.allocated()).isZero();
  }

  private static ThingTls conscrypt() {
    return TlsSettings.builder().trust(TrustMaterial.fromBundle(pki.caFile())).provider(TlsProvider.CONSCRYPT)
        .sessionResumption(false).build().forIdentity(identity());
  }

  private static ThingIdentity identity() {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing("pooled", KeyType.EC_P256, 60)).build();
  }

  private static SSLSocket connect(ThingTls thing) throws IOException {
    SSLSocket socket = (SSLSocket) thing.socketFactory().createSocket();
    socket.connect(new InetSocketAddress("localhost", nginx.port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] fetch(SSLSocket socket) throws IOException {
    request(socket);
    // Not readAllBytes: Conscrypt's socket spins at the end of the stream under it.
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    while (readSome(socket.getInputStream(), response)) {
      // until nginx closes
    }
    return body(response.toByteArray());
  }

  private static void request(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("GET /data.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static boolean readSome(InputStream in, ByteArrayOutputStream into) throws IOException {
    byte[] chunk = new byte[3_000];
    int n = in.read(chunk);
    if (n < 0) return false;
    into.write(chunk, 0, n);
    return true;
  }

  /** The HTTP response's body: everything after the blank line that ends its headers. */
  private static byte[] body(byte[] response) {
    for (int i = 0; i + 3 < response.length; i++) {
      if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
        return Arrays.copyOfRange(response, i + 4, response.length);
      }
    }
    throw new AssertionError("no end of headers in " + response.length + " bytes");
  }
}
