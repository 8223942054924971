package io.thingstorm.certs.fleet;

import static io.thingstorm.testing.FuzzInput.assertOneLine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testing.FuzzInput;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the certs toolkit reads from users and platforms: a private key PEM, encrypted or not
 * ({@code k}, password "fuzz"), certificate PEM ({@code p}), a {@code things.csv} manifest
 * ({@code m}), and the things of a platform as Mainflux provisioning TOML ({@code t}) or CSV
 * ({@code v}). Seeds and regression inputs: {@code src/test/resources/io/thingstorm/certs/fleet/CertsParsersFuzzTestInputs}.
 */
class CertsParsersFuzzTest {
  private static final Path MANIFEST = Path.of("fleet", ThingManifest.FILE_NAME);

  @FuzzTest(maxDuration = "4s")
  void parse(byte[] input) {
    String text = new String(FuzzInput.body(input), StandardCharsets.ISO_8859_1);
    try {
      switch (FuzzInput.parser(input, "kpmtv")) {
        case 'k' -> Pem.parsePrivateKey(FuzzInput.pem(input), "key.pem", PasswordSource.of("fuzz".toCharArray()));
        case 'p' -> Pem.parseCertificates(text, "certs.pem");
        case 'm' -> ThingManifest.read(new StringReader(text), MANIFEST);
        case 't' -> ExistingThings.fromToml(text, "things.toml");
        default -> ExistingThings.fromCsv(text, "things.csv");
      }
    } catch (CertsException e) {
      assertOneLine(e);
    }
  }
}
