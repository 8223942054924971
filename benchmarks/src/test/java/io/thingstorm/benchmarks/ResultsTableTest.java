package io.thingstorm.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  private static String markdown() throws IOException {
    try (InputStream in = ResultsTableTest.class.getResourceAsStream("/jmh-results.json")) {
      return ResultsTable.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).markdown();
    }
  }

  @Test
  void oneTablePerBenchmarkWithScoreErrorAndUnit() throws IOException {
    String md = markdown();
    assertThat(md).contains("### HandshakeBenchmark.handshake", "### CryptoLimitBenchmark.sign",
        "### SenmlCodecBenchmark.encode", "### PublishBenchmark.publish");
    assertThat(md).contains("| auth | keyType | provider | session | tls | score | error | unit | client µs/hs | server µs/hs |");
    // 1,400,000 ns per handshake on the client: 1,400 µs; the server's 1,600 µs.
    assertThat(md).contains("| mutual | ec-p256 | JDK | full | TLSv1.3 | 3,000 |  | us/op | 1,400 | 1,600 |");
    assertThat(md).contains("| CBOR | 10 | 2.00 | ± 0.500 | us/op | 240 |");
    assertThat(md).contains("| mqtt3-qos1 | 5,000 |  | ops/s |");
  }

  @Test
  void ratiosPairRowsThatDifferInOneParam() throws IOException {
    String md = markdown();
    assertThat(md).contains("| mutual / server-only | HandshakeBenchmark.handshake | keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.50 |");
    assertThat(md).contains("| resumed / full | HandshakeBenchmark.handshake | auth=mutual, keyType=ec-p256, provider=JDK, tls=TLSv1.3 | 0.167 |");
    assertThat(md).contains("| CBOR / JSON | SenmlCodecBenchmark.encode | records=10 | 0.500 (size 0.600) |");
  }

  @Test
  void handshakeAgainstItsCryptoLimit() throws IOException {
    String md = markdown();
    // Mutual, per side: ecdhe 300 + sign 200 + 2 x verify 250 = 1,000 µs; both sides 2,000 µs.
    assertThat(md).contains("| handshake / crypto limit | HandshakeBenchmark.handshake | auth=mutual, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.50 (bound 2,000 µs) |");
    assertThat(md).contains("| client / client crypto limit | HandshakeBenchmark.handshake | auth=mutual, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.40 (bound 1,000 µs) |");
    // Server-only: the client verifies twice and signs nothing (800 µs), the server signs (500 µs).
    assertThat(md).contains("| handshake / crypto limit | HandshakeBenchmark.handshake | auth=server-only, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.54 (bound 1,300 µs) |");
    // A resumed handshake has no crypto limit of this kind.
    assertThat(md).doesNotContain("crypto limit | HandshakeBenchmark.handshake | auth=mutual, keyType=ec-p256, provider=JDK, session=resumed");
  }

  @Test
  void socketHandshakeAgainstTheInMemoryOne() throws IOException {
    String md = markdown();
    assertThat(md).contains("### SocketHandshakeBenchmark.handshake",
        "| chains | groups | keyType | provider | session | tls | score | error | unit | client CPU µs/hs | of which kernel µs/hs |",
        "| remembered | default | ec-p256 | JDK | full | TLSv1.3 | 4,000 |  | us/op | 1,800 | 450 |");
    // The in-memory client: 1,400 µs per handshake; over the socket 1,800 µs of the client's CPU.
    assertThat(md).contains("| socket / in-memory (client) | SocketHandshakeBenchmark.handshake | "
        + "chains=remembered, groups=default, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.29 (1,800 / 1,400 µs) |");
    assertThat(md).contains("| checked / remembered chains (client CPU) | SocketHandshakeBenchmark.handshake | "
        + "groups=default, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 1.33 |");
    assertThat(md).contains("| x25519 alone / default groups (client CPU) | SocketHandshakeBenchmark.handshake | "
        + "chains=remembered, keyType=ec-p256, provider=JDK, session=full, tls=TLSv1.3 | 0.900 |");
    assertThat(md).contains("| resumed / full (client CPU) | SocketHandshakeBenchmark.handshake | "
        + "chains=remembered, groups=default, keyType=ec-p256, provider=JDK, tls=TLSv1.3 | 0.167 |");
  }
}
