package io.thingstorm.certs.fleet;

import static io.thingstorm.testing.HostileInput.BUDGET;
import static io.thingstorm.testing.HostileInput.nested;
import static io.thingstorm.testing.HostileInput.padded;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testing.FuzzInput;
import io.thingstorm.testing.HostileInput;
import io.thingstorm.testing.HostileInput.Outcome;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1 MB keys, certificates, manifests and provisioning files built to exhaust a parser: each is
 * refused with a one-line CertsException, within a fixed allocation.
 */
class HostileCertsInputTest {
  private static final Consumer<String> KEY = text -> Pem.parsePrivateKey(text, "key.pem", PasswordSource.of("fuzz".toCharArray()));
  private static final Consumer<String> CERTIFICATES = text -> Pem.parseCertificates(text, "certs.pem");
  private static final Consumer<String> MANIFEST = text -> ThingManifest.read(new StringReader(text), Path.of(ThingManifest.FILE_NAME));
  private static final Consumer<String> TOML = text -> ExistingThings.fromToml(text, "things.toml");
  private static final Consumer<String> CSV = text -> ExistingThings.fromCsv(text, "things.csv");

  static Stream<Arguments> inputs() {
    // DER: SEQUENCEs nested as deep as 1 MB allows, each with a 4-byte length (30 84 xx xx xx xx).
    int depth = HostileInput.SIZE / 6;
    byte[] der = new byte[depth * 6];
    for (int i = 0; i < depth; i++) {
      int length = (depth - i - 1) * 6;
      der[i * 6] = 0x30;
      der[i * 6 + 1] = (byte) 0x84;
      der[i * 6 + 2] = (byte) (length >>> 24);
      der[i * 6 + 3] = (byte) (length >>> 16);
      der[i * 6 + 4] = (byte) (length >>> 8);
      der[i * 6 + 5] = (byte) length;
    }
    String nestedDer = Base64.getMimeEncoder().encodeToString(der);
    return Stream.of(
        Arguments.of("key PEM with a 1 MB base64 body", KEY, pem("PRIVATE KEY", padded("", 'A', ""))),
        Arguments.of("certificate PEM with a 1 MB base64 body", CERTIFICATES, pem("CERTIFICATE", padded("", 'A', ""))),
        Arguments.of("certificate PEM of 1 MB of nested DER", CERTIFICATES, pem("CERTIFICATE", nestedDer)),
        Arguments.of("key PEM of 1 MB of nested DER", KEY, pem("PRIVATE KEY", nestedDer)),
        Arguments.of("encrypted key PEM of 1 MB of nested DER", KEY, pem("ENCRYPTED PRIVATE KEY", nestedDer)),
        Arguments.of("RSA key PEM of 1 MB of nested DER", KEY, pem("RSA PRIVATE KEY", nestedDer)),
        Arguments.of("PEM with a 1 MB header line", KEY, "-----BEGIN " + padded("", 'A', "-----\n")),
        Arguments.of("100,000 empty PEM blocks", CERTIFICATES, "-----BEGIN X-----\n-----END X-----\n".repeat(30_000)),
        Arguments.of("things.csv with a 1 MB field", MANIFEST, padded("thing_id,thing_key,channel_id,cert,key\n\"", 'a', "")),
        Arguments.of("things.csv with 1 MB of columns", MANIFEST, "thing_id,thing_key,channel_id,cert,key\n" + ",".repeat(HostileInput.SIZE)),
        Arguments.of("things.csv with 1 MB of empty rows", MANIFEST, "thing_id,thing_key,channel_id,cert,key\n" + "\n".repeat(HostileInput.SIZE)),
        Arguments.of("TOML arrays nested 500,000 deep", TOML, "a = " + nested("[", "]")),
        Arguments.of("TOML inline tables nested deep", TOML, "a = " + nested("{b=", "}")),
        Arguments.of("TOML dotted key of 1 MB", TOML, "a" + ".a".repeat(HostileInput.SIZE / 2) + " = 1"),
        Arguments.of("TOML 1 MB string", TOML, padded("[[things]]\nthing_id = \"", 'a', "")),
        Arguments.of("TOML number of 1 MB digits", TOML, padded("a = ", '9', "")),
        Arguments.of("CSV with a 1 MB quoted field", CSV, padded("\"", 'a', "")),
        Arguments.of("CSV with 1 MB of commas", CSV, ",".repeat(HostileInput.SIZE)));
  }

  private static String pem(String label, String base64) {
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measure of speed
  void isRefusedWithinABudget(String name, Consumer<String> parser, String input) {
    Outcome outcome = HostileInput.run(() -> parser.accept(input));
    assertThat(outcome.thrown()).as(name).isInstanceOf(CertsException.class);
    FuzzInput.assertOneLine((CertsException) outcome.thrown());
    assertThat(outcome.allocated()).as(name + ": bytes allocated").isLessThan(BUDGET);
  }

  @Test
  void anEncryptedKeyThatAsksForBillionsOfHashRoundsIsRefusedBeforeHashing() throws Exception {
    String key = resource("k-pbkdf2-rounds.pem");
    Outcome outcome = HostileInput.run(() -> KEY.accept(key));
    assertThat(outcome.thrown()).isInstanceOf(CertsException.class)
        .hasMessage("key.pem is encrypted with 2147483647 password hashing rounds; more than 2000000 are refused"
            + " (re-encrypt it, e.g. openssl pkcs8 -topk8 -v2 aes-256-cbc)");
    // The same key with its 2,048 rounds decrypts: the cap is above what tools write.
    assertThat(Pem.parsePrivateKey(resource("k-ec-pkcs8-encrypted.pem"), "key.pem", PasswordSource.of("fuzz".toCharArray())))
        .isNotNull();
  }

  @Test
  void aThingIdWithALineBreakStaysOnOneLineInTheMessage() {
    Outcome csv = HostileInput.run(() -> CSV.accept("\"thing\nid\",\n"));
    Outcome manifest = HostileInput.run(() -> MANIFEST.accept("thing_id,thing_key,channel_id,cert,key\n\"thing\nid\",,,a,b\n"));
    assertThat(csv.thrown()).hasMessage("things.csv line 1: thing thing\\u000aid has no key");
    assertThat(manifest.thrown()).hasMessageEndingWith("things.csv line 2: thing thing\\u000aid has no key");
  }

  @Test
  void aBigManifestFileIsStreamedNotRefused() throws Exception {
    Path file = Files.createTempFile("things", ".csv");
    try {
      StringBuilder csv = new StringBuilder("thing_id,thing_key,channel_id,cert,key\n");
      for (int i = 0; i < 60_000; i++) csv.append("t").append(i).append(",key-").append(i).append(",ch,t.crt,t.key\n");
      Files.writeString(file, csv);
      assertThat(ThingManifest.read(file)).hasSize(60_000);
    } finally {
      Files.delete(file);
    }
  }

  /** A seed of the fuzz test, without its first byte (which names the parser), its PEM armour restored. */
  private static String resource(String name) throws Exception {
    try (var in = HostileCertsInputTest.class.getResourceAsStream("CertsParsersFuzzTestInputs/parse/" + name)) {
      return io.thingstorm.testing.FuzzInput.pem(in.readAllBytes());
    }
  }
}
