package io.thingstorm.client.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SenmlFormatTest {

  @Test
  void mediaTypesAreThoseOfRfc8428() {
    assertThat(SenmlFormat.JSON.mediaType()).isEqualTo("application/senml+json");
    assertThat(SenmlFormat.CBOR.mediaType()).isEqualTo("application/senml+cbor");
  }

  @Test
  void detectsJsonByItsOpeningBracket() {
    assertThat(SenmlFormat.detect("[{\"n\":\"x\",\"v\":1}]".getBytes(UTF_8))).isEqualTo(SenmlFormat.JSON);
    assertThat(SenmlFormat.detect(" \r\n\t[]".getBytes(UTF_8))).isEqualTo(SenmlFormat.JSON);
    assertThat(SenmlFormat.detect(HexFormat.of().parseHex("efbbbf5b5d"))).as("after a BOM").isEqualTo(SenmlFormat.JSON);
  }

  @Test
  void detectsCborByItsOpeningArray() {
    assertThat(SenmlFormat.detect(RfcExamples.cbor(RfcExamples.CBOR_MULTIPLE_DATAPOINTS_TIMED))).isEqualTo(SenmlFormat.CBOR);
    assertThat(SenmlFormat.detect(HexFormat.of().parseHex("9fff"))).as("indefinite length").isEqualTo(SenmlFormat.CBOR);
    assertThat(SenmlFormat.detect(HexFormat.of().parseHex("d9d9f781"))).as("self-described").isEqualTo(SenmlFormat.CBOR);
  }

  @Test
  void saysWhatItFoundWhenNeither() {
    assertThatThrownBy(() -> SenmlFormat.detect("{\"e\":[]}".getBytes(UTF_8)))
        .isInstanceOf(SenmlException.class)
        .hasMessage("not SenML: JSON starts with '[', CBOR with an array (0x80-0x9f), this with 0x7b ('{')");
    assertThatThrownBy(() -> SenmlFormat.detect(HexFormat.of().parseHex("a1")))
        .hasMessage("not SenML: JSON starts with '[', CBOR with an array (0x80-0x9f), this with 0xa1");
    assertThatThrownBy(() -> SenmlFormat.detect(new byte[0])).hasMessage("pack is empty (0 bytes)");
    assertThatThrownBy(() -> SenmlFormat.detect(" \n".getBytes(UTF_8))).hasMessage("pack is empty (whitespace only)");
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void decodesWhatItEncodes(SenmlFormat format) {
    SenmlPack pack = RfcExamples.json(RfcExamples.MULTIPLE_DATA_TYPES);

    byte[] encoded = format.encode(pack);

    assertThat(SenmlFormat.detect(encoded)).isEqualTo(format);
    assertThat(format.decode(encoded)).isEqualTo(pack);
    assertThat(format.decode(encoded, new SenmlLimits(encoded.length, 4))).isEqualTo(pack);
  }
}
