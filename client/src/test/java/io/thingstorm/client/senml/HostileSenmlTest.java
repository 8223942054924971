package io.thingstorm.client.senml;

import static io.thingstorm.testing.HostileInput.BUDGET;
import static io.thingstorm.testing.HostileInput.bytes;
import static io.thingstorm.testing.HostileInput.nested;
import static io.thingstorm.testing.HostileInput.padded;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.testing.FuzzInput;
import io.thingstorm.testing.HostileInput;
import io.thingstorm.testing.HostileInput.Outcome;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 1 MB packs built to exhaust a decoder: each is refused with a SenmlException, within a fixed allocation. */
class HostileSenmlTest {
  static Stream<Arguments> packs() {
    HexFormat hex = HexFormat.of();
    return Stream.of(
        Arguments.of("JSON arrays nested 500,000 deep", true, bytes(nested("[", "]"))),
        Arguments.of("JSON objects nested deep", true, bytes(nested("[{\"x_\":", "}]"))),
        Arguments.of("JSON name of 1 MB", true, bytes(padded("[{\"n\":\"", 'a', " \",\"v\":1}]"))),
        Arguments.of("JSON number of 1 MB digits", true, bytes(padded("[{\"n\":\"a\",\"v\":", '9', "}]"))),
        Arguments.of("JSON 1 MB of whitespace then nothing", true, bytes(padded("[", ' ', ""))),
        Arguments.of("JSON array of 200,000 numbers", true, bytes("[" + "1,".repeat(200_000) + "1]")),
        Arguments.of("JSON 60,000 records that lack a value", true, bytes("[" + "{\"n\":\"a\"},".repeat(60_000) + "{}]")),
        // [ { vd: bytes(2^31 - 1) } ] followed by 1 MB, not 2 GB
        Arguments.of("CBOR byte string announcing 2 GB", false, HostileInput.padded(hex.parseHex("81a1085a7fffffff"))),
        Arguments.of("CBOR byte string announcing 2^63 bytes", false, HostileInput.padded(hex.parseHex("81a1085b7fffffffffffffff"))),
        Arguments.of("CBOR text announcing 2 GB", false, HostileInput.padded(hex.parseHex("81a1007a7fffffff"))),
        Arguments.of("CBOR array announcing 2^32 items", false, HostileInput.padded(hex.parseHex("9affffffff"))),
        Arguments.of("CBOR map announcing 2^32 entries", false, HostileInput.padded(hex.parseHex("81bbffffffffffffffff"))),
        Arguments.of("CBOR arrays nested 1,000,000 deep", false, bytes(padded("", (char) 0x81, ""))),
        Arguments.of("CBOR tags nested 1,000,000 deep", false, bytes(padded("", (char) 0xc6, ""))),
        Arguments.of("CBOR indefinite byte string of 1-byte chunks", false,
            HostileInput.padded(hex.parseHex("81a1085f" + "4100".repeat(200_000) + "ff"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("packs")
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a hang, not a measure of speed
  void isRefusedWithinABudget(String name, boolean json, byte[] pack) {
    Outcome outcome = HostileInput.run(() -> {
      if (json) SenmlJson.decode(pack);
      else SenmlCbor.decode(pack);
    });
    assertThat(outcome.thrown()).as(name).isInstanceOf(SenmlException.class);
    FuzzInput.assertOneLine((SenmlException) outcome.thrown());
    assertThat(outcome.allocated()).as(name + ": bytes allocated").isLessThan(BUDGET);
  }
}
