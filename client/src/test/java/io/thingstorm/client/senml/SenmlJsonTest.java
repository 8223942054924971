package io.thingstorm.client.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SenmlJsonTest {

  @ParameterizedTest
  @FieldSource("io.thingstorm.client.senml.RfcExamples#JSON")
  void everyRfcExampleDecodesAndEncodesBackToTheSamePack(String example) {
    SenmlPack pack = RfcExamples.json(example);

    byte[] json = SenmlJson.encode(pack);

    assertThat(SenmlJson.decode(json)).isEqualTo(pack);
    assertThat(SenmlJson.encode(SenmlJson.decode(json))).isEqualTo(json);
  }

  @Test
  void singleDatapoint() {
    assertThat(RfcExamples.json(RfcExamples.SINGLE_DATAPOINT)).isEqualTo(SenmlPack.of(
        SenmlRecord.builder().name("urn:dev:ow:10e2073a01080063").unit("Cel").value(23.1).build()));
  }

  @Test
  void multipleDataTypes() {
    SenmlPack pack = RfcExamples.json(RfcExamples.MULTIPLE_DATA_TYPES);

    assertThat(pack.records()).extracting(SenmlRecord::value).containsExactly(
        SenmlValue.of(23.1),
        SenmlValue.of("Machine Room"),
        SenmlValue.of(false),
        SenmlValue.of("hi \n".getBytes(UTF_8)));
  }

  @Test
  void aRecordOfBaseFieldsOnlyOpensThePackOfSection517() {
    SenmlPack pack = RfcExamples.json(RfcExamples.SETTING_AN_ACTUATOR);

    assertThat(pack.records().get(0))
        .isEqualTo(SenmlRecord.builder().baseName("urn:dev:ow:10e2073a01080063:").build());
    assertThat(pack.records()).hasSize(4);
  }

  @Test
  void encodesCompactlyWithFieldsInTheRfcsOrder() {
    assertThat(json(RfcExamples.json(RfcExamples.SINGLE_DATAPOINT)))
        .isEqualTo("[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]");
    assertThat(json(RfcExamples.json(RfcExamples.MULTIPLE_DATAPOINTS_TIMED))).isEqualTo(
        "[{\"bn\":\"urn:dev:ow:10e2073a0108006:\",\"bt\":1276020076.001,\"bu\":\"A\",\"bver\":5,"
            + "\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},"
            + "{\"n\":\"current\",\"t\":-5,\"v\":1.2},"
            + "{\"n\":\"current\",\"t\":-4,\"v\":1.3},"
            + "{\"n\":\"current\",\"t\":-3,\"v\":1.4},"
            + "{\"n\":\"current\",\"t\":-2,\"v\":1.5},"
            + "{\"n\":\"current\",\"t\":-1,\"v\":1.6},"
            + "{\"n\":\"current\",\"v\":1.7}]");
  }

  @Test
  void wholeNumbersAreWrittenAsIntegersTimesPlainlyAndExponentsWithALowerCaseE() {
    SenmlPack pack = SenmlPack.of(
        SenmlRecord.builder().name("a").baseTime(1.320067464e9).value(20.0).build(),
        SenmlRecord.builder().name("b").time(1.3200784295e9).value(1e-7).build(),
        SenmlRecord.builder().name("c").value(-0.0).sum(1e300).build());

    assertThat(json(pack)).isEqualTo("[{\"bt\":1320067464,\"n\":\"a\",\"v\":20},"
        + "{\"n\":\"b\",\"t\":1320078429.5,\"v\":1.0e-7},{\"n\":\"c\",\"v\":-0.0,\"s\":1.0e300}]");
    assertThat(SenmlJson.decode(SenmlJson.encode(pack))).isEqualTo(pack);
  }

  @Test
  void dataValuesAreBase64urlWithoutPaddingAndReadWithPaddingToo() {
    SenmlPack padded = SenmlJson.decode("[{\"n\":\"nfc-reader\",\"vd\":\"aGkgCg==\"}]".getBytes(UTF_8));

    assertThat(padded.records().get(0).value()).isEqualTo(SenmlValue.of("hi \n".getBytes(UTF_8)));
    assertThat(json(padded)).isEqualTo("[{\"n\":\"nfc-reader\",\"vd\":\"aGkgCg\"}]");
    assertThat(json(SenmlPack.of(SenmlRecord.builder().name("d").value(new byte[] {(byte) 0xfb, (byte) 0xff}).build())))
        .isEqualTo("[{\"n\":\"d\",\"vd\":\"-_8\"}]");
  }

  @Test
  void ignoresLabelsItDoesNotKnowWhateverTheirValue() {
    SenmlPack pack = SenmlJson.decode(
        "[{\"n\":\"x\",\"v\":1,\"l\":\"link\",\"ext\":{\"a\":[1,{\"b\":null}]},\"bx\":[]}]".getBytes(UTF_8));

    assertThat(pack).isEqualTo(SenmlPack.of(SenmlRecord.builder().name("x").value(1).build()));
  }

  @Test
  void oneRecordPerLineForPeople() {
    SenmlPack pack = RfcExamples.json(RfcExamples.MULTIPLE_DATAPOINTS);

    assertThat(new String(SenmlJson.encodeOneRecordPerLine(pack), UTF_8)).isEqualTo("""
        [
        {"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
        {"n":"current","u":"A","v":1.2}
        ]""");
    assertThat(SenmlJson.decode(SenmlJson.encodeOneRecordPerLine(pack))).isEqualTo(pack);
  }

  private static String json(SenmlPack pack) {
    return new String(SenmlJson.encode(pack), UTF_8);
  }

  @Test
  void largeFractionalNumbersAreWrittenPlainAsBigDecimalWouldWriteThem() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(8428);
    List<Double> samples = new java.util.ArrayList<>(List.of(1.0000001e7, 1320078429.5, 1764771234.5678, -2.5e9 - 0.125, 999999999999999.9));
    for (int i = 0; i < 20_000; i++) {
      double magnitude = Math.pow(10, 7 + random.nextInt(8));
      double x = (random.nextBoolean() ? -1 : 1) * (magnitude + random.nextDouble() * magnitude * 9);
      samples.add(random.nextBoolean() ? x : Math.floor(x) + random.nextInt(1, 1000) / 1000.0);
    }
    for (double x : samples) {
      String text = Double.toString(x);
      if (text.indexOf('E') < 0 || Syntax.isWholeLong(x) || Math.abs(x) >= 1e15) continue;
      assertThat(Syntax.plain(text)).as(text).isEqualTo(new java.math.BigDecimal(text).toPlainString());
    }
    assertThat(new String(SenmlJson.encode(SenmlPack.of(SenmlRecord.builder().name("t").value(1.0).time(1764771234.5678).build())),
        java.nio.charset.StandardCharsets.UTF_8)).contains("\"t\":1764771234.5678");
  }
}
