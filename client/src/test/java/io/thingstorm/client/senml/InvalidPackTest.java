package io.thingstorm.client.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Packs that break RFC 8428, or are no SenML at all: refused with one line naming the reason. */
class InvalidPackTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      [{"bn":"a:","v":1},{"n":"b","v":2},{"n":"x y","v":3}]  | record 2: name "a:x y" has a character not allowed (' ')
      [{"n":"-x","v":1}]                                   | record 0: name "-x" must start with a letter or a digit, not '-'
      [{"n":"t\\u00e9","v":1}]                             | record 0: name "té" has a character not allowed (U+00E9)
      [{"n":"x","v":1},{"v":2}]                            | record 1: has no name (no n, and no bn before it)
      [{"n":"x"}]                                          | record 0: has no value and no sum (one of v, vs, vb, vd, or s)
      [{"n":"x","t":1}]                                    | record 0: has no value and no sum (one of v, vs, vb, vd, or s)
      [{"n":"x","v":1,"vs":"one"}]                         | record 0: has two values, v and vs (a record has at most one)
      [{"n":"x","vb":true,"vd":"aGk"}]                     | record 0: has two values, vb and vd (a record has at most one)
      [{"n":"x","v":1,"v":2}]                              | record 0: v appears twice
      [{"n":"x","v":"1"}]                                  | record 0: v must be a number, not text
      [{"n":1,"v":1}]                                      | record 0: n must be text, not a number
      [{"n":"x","v":null}]                                 | record 0: v must be a number, not null
      [{"n":"x","vb":"true"}]                              | record 0: vb must be true or false, not text
      [{"n":"x","vs":{}}]                                  | record 0: vs must be text, not an object
      [{"n":"x","vs":"a\\udc48"}]                         | record 0: vs is not valid Unicode text (it holds an unpaired surrogate)
      [{"n":"x","u":"\\ud800"}]                            | record 0: u is not valid Unicode text (it holds an unpaired surrogate)
      [{"n":"x","vd":"aGk+"}]                              | record 0: vd is not base64url (RFC 4648 section 5): Illegal base64 character 2b
      [{"n":"x","t":"now","v":1}]                          | record 0: t must be a number, not text
      [{"n":"x","v":1e999}]                                | record 0: v is not a finite number (Infinity)
      [{"n":"x","v":1,"t":1e300}]                          | record 0: time 1.0E300 is out of range
      [{"n":"x","v":1,"unit_":"Cel"}]                      | record 0: label "unit_" ends with "_", so it must be understood, and is not
      [{"bver":11,"n":"x","v":1}]                          | record 0: bver 11 is a SenML version newer than 10, the newest this library understands
      [{"bver":0,"n":"x","v":1}]                           | record 0: bver must be a positive integer, not 0
      [{"bver":10.5,"n":"x","v":1}]                        | record 0: bver must be an integer, not 10.5
      [{"bver":"10","n":"x","v":1}]                        | record 0: bver must be an integer, not text
      [{"bver":99999999999999999999,"n":"x","v":1}]        | record 0: bver 99999999999999999999 is out of range
      [{"n":"x","v":1},{"bver":5,"n":"y","v":2}]           | record 1: bver 5 differs from the pack's version 10 (all records of a pack have one version)
      [{"n":"x","v":1},{}]                                 | record 1: has no fields
      [{"n":"x","v":1},7]                                  | record 1: is a number, not an object
      []                                                   | a pack has at least one record (RFC 8428 section 11)
      {"bn":"x","e":[]}                                    | a pack is a JSON array of records, not an object
      "[]"                                                 | a pack is a JSON array of records, not text
      [{"n":"x","v":1}][]                                  | unexpected data after the pack's array
      """)
  void refusesWithTheReason(String json, String reason) {
    assertThatThrownBy(() -> SenmlJson.decode(json.getBytes(UTF_8)))
        .isInstanceOf(SenmlException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      hello                       | not valid JSON at byte 5: Unrecognized token 'hello'
      [{"n":"x","v":1             | record 0: not valid JSON at byte 15: Unexpected end-of-input: expected close marker for Object
      [{"n":"x","v":1},           | not valid JSON at byte 17: Unexpected end-of-input
      [{"n":"x",,"v":1}]          | record 0: not valid JSON at byte 10: Unexpected character (',' (code 44))
      [{"n":"x","v":01}]          | record 0: not valid JSON at byte 15: Invalid numeric value: Leading zeroes not allowed
      `[{"n":"x\ty","v":1}]`      | record 0: not valid JSON at byte 8: Illegal unquoted character ((CTRL-CHAR, code 9))
      """)
  void refusesWhatIsNotJson(String json, String reasonStart) {
    assertThatThrownBy(() -> SenmlJson.decode(json.getBytes(UTF_8)))
        .isInstanceOf(SenmlException.class)
        .hasMessageStartingWith(reasonStart)
        .message().doesNotContain("\n", "start marker", "Source:");
  }

  @Test
  void refusesDeepNestingInAnIgnoredLabel() {
    String deep = "[{\"n\":\"x\",\"v\":1,\"ext\":" + "[".repeat(1000) + "]".repeat(1000) + "}]";

    assertThatThrownBy(() -> SenmlJson.decode(deep.getBytes(UTF_8)))
        .isInstanceOf(SenmlException.class)
        .hasMessageStartingWith("record 0: pack exceeds a parser limit: Document nesting depth (33) exceeds the maximum allowed (32");
  }

  @Test
  void refusesPacksOverTheLimits() {
    byte[] fourRecords = "[{\"n\":\"a\",\"v\":1},{\"n\":\"b\",\"v\":1},{\"n\":\"c\",\"v\":1},{\"n\":\"d\",\"v\":1}]".getBytes(UTF_8);

    assertThatThrownBy(() -> SenmlJson.decode(fourRecords, new SenmlLimits(fourRecords.length - 1, 100)))
        .isInstanceOf(SenmlException.class)
        .hasMessage("pack is larger than the limit of " + (fourRecords.length - 1) + " bytes");
    assertThatThrownBy(() -> SenmlJson.decode(fourRecords, new SenmlLimits(1 << 20, 3)))
        .isInstanceOf(SenmlException.class)
        .hasMessage("pack has more than 3 records (the limit)");
    assertThat(SenmlJson.decode(fourRecords, new SenmlLimits(fourRecords.length, 4)).records()).hasSize(4);
  }

  @Test
  void refusesInvalidPacksBuiltInCodeToo() {
    assertThatThrownBy(() -> SenmlPack.of(SenmlRecord.builder().name("x").build()))
        .isInstanceOf(SenmlException.class)
        .hasMessage("record 0: has no value and no sum (one of v, vs, vb, vd, or s)");
    assertThatThrownBy(() -> SenmlPack.of(SenmlRecord.builder().name("x").value(Double.NaN).build()))
        .isInstanceOf(SenmlException.class)
        .hasMessage("record 0: v is not a finite number (NaN)");
    assertThatThrownBy(() -> SenmlPack.of(SenmlRecord.builder().name("x\ny").value(1).build()))
        .isInstanceOf(SenmlException.class)
        .hasMessage("record 0: name \"x\\u000ay\" has a character not allowed (U+000A)");
  }

  @Test
  void cutsLongNamesShortInMessages() {
    String name = "a".repeat(100) + " ";

    assertThatThrownBy(() -> SenmlPack.of(SenmlRecord.builder().name(name).value(1).build()))
        .hasMessage("record 0: name \"" + "a".repeat(61) + "...\" has a character not allowed (' ')");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      81a2006178026131                   | record 0: v must be a number, not text
      81a20061780863616263               | record 0: vd must be a byte string, not text
      81a300617802f97e000201             | record 0: v appears twice
      81a20061780601                     | record 0: has no value and no sum (one of v, vs, vb, vd, or s)
      81a200617802f97e00                 | record 0: v is not a finite number (NaN)
      81a3006178020120f94500             | record 0: bver must be an integer, not 5.0
      81a300617802016361625ff5          | record 0: label "ab_" ends with "_", so it must be understood, and is not
      81a1                               | record 0: not valid CBOR at byte 2: Unexpected end-of-input in Object value: expected 1 more properties
      81a20061780201ff                   | not valid CBOR at byte 8: Unexpected Break (0xFF) token
      a20061780201                       | a pack is a CBOR array of records, not a map
      8101                               | record 0: is a number, not a map
      81a1085bffffffffffffff00           | record 0: not valid CBOR
      81a1085a7fffffff00                 | record 0: not valid CBOR
      81a1087a7fffffff00                 | record 0: vd must be a byte string, not text
      81a1007a7fffffff00                 | record 0: not valid CBOR
      81a1009bffffffffffffffff           | record 0: not valid CBOR
      9bffffffffffffffff                 | not valid CBOR
      81a10061                           | record 0: not valid CBOR
      """)
  void refusesBrokenCbor(String hex, String reasonStart) {
    assertThatThrownBy(() -> SenmlCbor.decode(HexFormat.of().parseHex(hex)))
        .isInstanceOf(SenmlException.class)
        .hasMessageStartingWith(reasonStart)
        .message().doesNotContain("\n", "start token");
  }

  @Test
  void refusesEveryTruncationOfTheRfcsCbor() {
    byte[] rfc = RfcExamples.cbor(RfcExamples.CBOR_MULTIPLE_DATAPOINTS_TIMED);

    for (int length = 0; length < rfc.length; length++) {
      byte[] truncated = Arrays.copyOf(rfc, length);
      assertThatThrownBy(() -> SenmlCbor.decode(truncated))
          .as("first %d bytes", length)
          .isInstanceOf(SenmlException.class);
    }
  }

  /** Random damage to good packs: decoding either succeeds or says why, in one line, quickly. */
  @Test
  void damagedPacksNeverLeakAParserException() {
    Random random = new Random(8428);
    byte[][] goodPacks = {
        RfcExamples.cbor(RfcExamples.CBOR_MULTIPLE_DATAPOINTS_TIMED),
        SenmlCbor.encode(RfcExamples.json(RfcExamples.MULTIPLE_DATA_TYPES)),
        RfcExamples.bytes(RfcExamples.MULTIPLE_MEASUREMENTS),
        RfcExamples.bytes(RfcExamples.MULTIPLE_DATA_TYPES),
    };
    for (int round = 0; round < 1000; round++) {
      byte[] pack = goodPacks[round % goodPacks.length].clone();
      for (int hits = 1 + random.nextInt(3); hits > 0; hits--) pack[random.nextInt(pack.length)] = (byte) random.nextInt(256);
      try {
        SenmlFormat format = SenmlFormat.detect(pack);
        format.decode(pack);
      } catch (SenmlException e) {
        assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
      }
    }
  }

  @Test
  void aSurrogatePairIsTextButAHalfOneIsNot() {
    SenmlPack pair = SenmlJson.decode("[{\"n\":\"x\",\"vs\":\"\\ud83d\\ude00\"}]".getBytes(UTF_8));
    assertThat(SenmlJson.decode(SenmlJson.encode(pair))).isEqualTo(pair);
    // CBOR text with the UTF-8 bytes of a lone low surrogate (ED B1 88): read back, it could not be written again.
    byte[] cbor = HexFormat.of().parseHex("81a2" + "00" + "6178" + "03" + "63edb188");
    assertThatThrownBy(() -> SenmlCbor.decode(cbor)).isInstanceOf(SenmlException.class).hasMessageContaining("unpaired surrogate");
  }
}
