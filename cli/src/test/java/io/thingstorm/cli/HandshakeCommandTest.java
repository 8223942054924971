package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testbed.Testbed;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thingstorm handshake}, in-process: refusals of bad input, and one short run on the embedded testbed. */
class HandshakeCommandTest {
  @TempDir Path dir;

  @Test
  void noTargetIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--duration", "1s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--target").contains("--embedded");
  }

  @Test
  void aBadDurationIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--target", "localhost:8883", "--duration", "ten seconds");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--duration").contains("ten seconds");
  }

  @Test
  void aTargetWithoutIdentityIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--target", "localhost:8883");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--cert");
  }

  @Test
  void anUnknownGroupIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--target", "localhost:8883", "--groups", "x25519,curve9");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--groups").contains("curve9").contains("x25519");
  }

  @Test
  void anUnknownProviderNamesAutoAmongTheKnown_exit2() {
    CliRun run = CliRun.of("handshake", "--embedded", "--provider", "openssl");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("thingstorm: --provider: unknown TLS provider 'openssl' (known: auto, jdk, bcjsse, conscrypt)\n");
  }

  @Test
  void groupsWithConscryptAreOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--embedded", "--provider", "conscrypt", "--groups", "x25519");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--groups").contains("Conscrypt cannot be told");
  }

  @Test
  void anUnknownEcdsaIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--embedded", "--ecdsa", "fastest");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--ecdsa").contains("fastest").contains("conscrypt");
  }

  @Test
  void anUnknownKeyShareImplementationIsOneLine_exit2() {
    CliRun run = CliRun.of("handshake", "--embedded", "--key-shares", "fastest");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).doesNotContain("\n").contains("--key-shares").contains("fastest").contains("auto, jdk");
  }

  @Test
  void theJdksTlsOnConscryptsEcdsaIsNamedInTheResult() throws IOException {
    CliRun run = CliRun.of("handshake", "--embedded", "--provider", "jdk", "--warmup", "0s", "--duration", "1s",
        "--out", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("jdk+conscrypt-ecdsa+fast-key-shares");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("handshake.json").toFile());
    assertThat(json.get("provider").asText()).isEqualTo("jdk+conscrypt-ecdsa+fast-key-shares");
    assertThat(json.get("failed").asLong()).isZero();

    CliRun plain = CliRun.of("handshake", "--embedded", "--provider", "jdk", "--ecdsa", "jdk", "--key-shares", "jdk", "--warmup", "0s",
        "--duration", "1s", "--out", dir.resolve("plain").toString());
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(new ObjectMapper().readTree(dir.resolve("plain/handshake.json").toFile()).get("provider").asText()).isEqualTo("jdk");
  }

  @Test
  void bouncyCastlesJsseHandshakesWithTheTestbedAtItsIpAddress() throws IOException {
    CliRun run = CliRun.of("handshake", "--embedded", "--provider", "bcjsse", "--warmup", "0s", "--duration", "1s",
        "--out", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(dir.resolve("handshake.json").toFile());
    assertThat(json.get("provider").asText()).isEqualTo("bcjsse");
    assertThat(json.get("succeeded").asLong()).isPositive();
    assertThat(json.get("failed").asLong()).isZero();
  }

  @Test
  void anEncryptedKeyIsReadWithItsPassword() throws IOException {
    try (Testbed testbed = Testbed.builder().build().start()) {
      CertifiedKey thing = testbed.certificateAuthority().orElseThrow().issueThing("sealed-thing", KeyType.EC_P256, 1);
      Path cert = Files.writeString(dir.resolve("thing.crt"), Pem.certificates(thing.chain()));
      Path key = Files.writeString(dir.resolve("thing.key"), Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, "s3cret".toCharArray()));

      CliRun run = CliRun.of("handshake", "--target", "127.0.0.1:" + testbed.mqttPort(), "--cert", cert.toString(), "--key", key.toString(),
          "--key-password", "s3cret", "--ca", testbed.caFile().toString(), "--warmup", "0s", "--duration", "1s", "--out", dir.toString());

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode json = new ObjectMapper().readTree(dir.resolve("handshake.json").toFile());
      assertThat(json.get("succeeded").asLong()).isPositive();
      assertThat(json.get("failed").asLong()).isZero();
    }
  }

  @Test
  void aTargetWhereNoHandshakeSucceedsIsAFailure_exit1() throws IOException {
    CliRun.of("certs", "ca", "--dir", dir.toString());
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    CliRun run = CliRun.of("handshake", "--target", "127.0.0.1:" + closedPort, "--ca-dir", dir.toString(),
        "--warmup", "0s", "--duration", "500ms");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("thingstorm: no handshake succeeded: ").contains("failed, most of them ");
    assertThat(run.err().strip()).doesNotContain("\n");
    assertThat(run.out()).contains("0 succeeded").contains("latency ms    - (no handshake succeeded)").doesNotContain("NaN");
  }

  @Test
  void anOutThatCannotBeWrittenIsSaidBeforeTheStormRuns() throws IOException {
    CliRun.of("certs", "ca", "--dir", dir.toString());
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

    CliRun run = CliRun.of("handshake", "--target", "127.0.0.1:1", "--ca-dir", dir.toString(), "--duration", "5s",
        "--out", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("thingstorm: cannot write the report to " + file + ": a file is in the way\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void embeddedTestbedHandshakesAndResumes() throws IOException {
    CliRun run = CliRun.of("handshake", "--embedded", "--resume", "--concurrency", "2", "--warmup", "500ms",
        "--duration", "2s", "--out", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("handshakes/s").contains("resumed").contains("client CPU");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("handshake.json").toFile());
    assertThat(json.get("succeeded").asLong()).isGreaterThanOrEqualTo(10);
    assertThat(json.get("failed").asLong()).isZero();
    assertThat(json.get("resumedShare").asDouble()).isGreaterThan(0.5);
    assertThat(json.get("provider").asText()).isIn("conscrypt", "jdk");
  }
}
