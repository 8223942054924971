package io.thingstorm.client.senml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SenmlCborTest {
  private static final ObjectMapper GENERIC_CBOR = new ObjectMapper(new CBORFactory());
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void decodesTheCborExampleOfSection6() {
    SenmlPack fromCbor = SenmlCbor.decode(RfcExamples.cbor(RfcExamples.CBOR_MULTIPLE_DATAPOINTS_TIMED));

    // The RFC's CBOR gives its last record "t":0, where the JSON of section 5.1.2 leaves t out.
    List<SenmlRecord> expected = new ArrayList<>(RfcExamples.json(RfcExamples.MULTIPLE_DATAPOINTS_TIMED).records());
    expected.set(6, SenmlRecord.builder().name("current").time(0).value(1.7).build());
    assertThat(fromCbor).isEqualTo(new SenmlPack(expected));
  }

  @Test
  void encodesTheExampleOfSection6ByteForByteSaveForOneFloat() {
    byte[] rfc = RfcExamples.cbor(RfcExamples.CBOR_MULTIPLE_DATAPOINTS_TIMED);

    byte[] ours = SenmlCbor.encode(SenmlCbor.decode(rfc));

    // The RFC writes 1.5 as a half-precision float (f9 3e00); this library always writes float64,
    // which section 6 allows equally: both convert to the same double.
    String expected = HEX.formatHex(rfc).replace("02f93e00", "02fb3ff8000000000000");
    assertThat(HEX.formatHex(ours)).isEqualTo(expected);
  }

  @ParameterizedTest
  @FieldSource("io.thingstorm.client.senml.RfcExamples#JSON")
  void jsonToCborToJsonGivesTheSamePack(String example) {
    SenmlPack pack = RfcExamples.json(example);

    SenmlPack viaCbor = SenmlCbor.decode(SenmlCbor.encode(pack));

    assertThat(viaCbor).isEqualTo(pack);
    assertThat(SenmlJson.encode(viaCbor)).isEqualTo(SenmlJson.encode(pack));
  }

  @Test
  void usesTheIntegerLabelsOfTable4() throws IOException {
    SenmlPack pack = SenmlPack.of(
        SenmlRecord.builder().baseName("urn:dev:ow:10e2073a01080063:").baseTime(1.5).baseUnit("A")
            .baseValue(1).baseSum(2).baseVersion(10).name("a").unit("V").time(-5).value(120.1).sum(3)
            .updateTime(60).build(),
        SenmlRecord.builder().name("b").value("text").build(),
        SenmlRecord.builder().name("c").value(true).build(),
        SenmlRecord.builder().name("d").value(new byte[] {1, 2, 3}).build());

    JsonNode tree = GENERIC_CBOR.readTree(SenmlCbor.encode(pack));

    assertThat(tree.get(0).properties()).extracting(e -> e.getKey())
        .containsExactly("-2", "-3", "-4", "-5", "-6", "-1", "0", "1", "6", "2", "5", "7");
    assertThat(tree.get(1).properties()).extracting(e -> e.getKey()).containsExactly("0", "3");
    assertThat(tree.get(2).properties()).extracting(e -> e.getKey()).containsExactly("0", "4");
    assertThat(tree.get(3).properties()).extracting(e -> e.getKey()).containsExactly("0", "8");
    assertThat(tree.get(3).get("8").isBinary()).as("vd is a byte string").isTrue();
    assertThat(tree.get(3).get("8").binaryValue()).containsExactly(1, 2, 3);
  }

  @Test
  void writesWholeNumbersAsIntegersAndDefiniteLengths() throws IOException {
    byte[] cbor = SenmlCbor.encode(RfcExamples.json(RfcExamples.MULTIPLE_MEASUREMENTS));

    assertThat(cbor[0] & 0xff).as("array of 13").isEqualTo(0x8d);
    assertThat(cbor[1] & 0xff).as("map of 4").isEqualTo(0xa4);
    JsonNode first = GENERIC_CBOR.readTree(cbor).get(0);
    assertThat(first.get("-3").isIntegralNumber()).as("bt 1.320067464e+09").isTrue();
    assertThat(first.get("-3").longValue()).isEqualTo(1320067464L);
    assertThat(first.get("2").isIntegralNumber()).as("v 20").isTrue();
    assertThat(GENERIC_CBOR.readTree(cbor).get(1).get("2").isDouble()).as("v 24.30621").isTrue();
  }

  @Test
  void readsIndefiniteLengthArraysAsSensmlStreamsUseThem() {
    byte[] stream = HEX.parseHex("9f" + "a2" + "0061" + "61" + "0201" + "ff"); // [_ {0: "a", 2: 1}]

    assertThat(SenmlCbor.decode(stream)).isEqualTo(SenmlPack.of(SenmlRecord.builder().name("a").value(1).build()));
  }

  @Test
  void ignoresTextLabelsItDoesNotKnow() {
    byte[] cbor = HEX.parseHex("81" + "a3" + "0061" + "61" + "0201" + "63657874" + "f5"); // [{0: "a", 2: 1, "ext": true}]

    assertThat(SenmlCbor.decode(cbor)).isEqualTo(SenmlPack.of(SenmlRecord.builder().name("a").value(1).build()));
  }
}
