package io.thingstorm.client;

import static io.thingstorm.testing.FuzzInput.assertOneLine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.senml.SenmlCbor;
import io.thingstorm.client.senml.SenmlException;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.testing.FuzzInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a device reads from outside: SenML packs in JSON ({@code j}) and CBOR ({@code c}), and a
 * private key PEM, encrypted or not ({@code k}, password "fuzz"), against a fixed certificate. Seeds
 * and regression inputs: {@code src/test/resources/io/thingstorm/client/ClientParsersFuzzTestInputs}.
 */
class ClientParsersFuzzTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String CERTIFICATE;

  static {
    CertifiedKey thing = CertificateAuthority.createRoot("fuzz CA", KeyType.EC_P256, 30)
        .issueThing("fuzz-thing", KeyType.EC_P256, 30);
    CERTIFICATE = Pem.certificates(thing.chain());
  }

  @FuzzTest(maxDuration = "4s")
  void parse(byte[] input) {
    byte[] body = FuzzInput.body(input);
    switch (FuzzInput.parser(input, "jck")) {
      case 'j' -> senml(body, true);
      case 'c' -> senml(body, false);
      default -> identity(FuzzInput.pem(input));
    }
  }

  private static void senml(byte[] bytes, boolean json) {
    SenmlPack pack;
    try {
      pack = json ? SenmlJson.decode(bytes) : SenmlCbor.decode(bytes);
    } catch (SenmlException e) {
      assertOneLine(e);
      return;
    }
    // A pack that decodes is valid: it resolves, and it reads back the same after encoding.
    pack.resolve(NOW);
    SenmlPack again = json ? SenmlJson.decode(SenmlJson.encode(pack)) : SenmlCbor.decode(SenmlCbor.encode(pack));
    if (!again.equals(pack)) throw new AssertionError("encoded and decoded, " + pack + " became " + again);
  }

  private static void identity(String keyPem) {
    try {
      ThingIdentity.builder().certificatePem(CERTIFICATE).privateKeyPem(keyPem).keyPassword("fuzz".toCharArray())
          .skipValidityCheck().build();
    } catch (DeviceException e) {
      assertOneLine(e);
    }
  }
}
