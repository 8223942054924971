package io.thingstorm.client.senml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** The examples of RFC 8428, kept under src/test/resources/senml/ as the RFC prints them. */
final class RfcExamples {
  static final String SINGLE_DATAPOINT = "rfc8428-5.1.1-single-datapoint.json";
  static final String MULTIPLE_DATAPOINTS = "rfc8428-5.1.2-multiple-datapoints.json";
  static final String MULTIPLE_DATAPOINTS_TIMED = "rfc8428-5.1.2-multiple-datapoints-timed.json";
  static final String MULTIPLE_MEASUREMENTS = "rfc8428-5.1.3-multiple-measurements.json";
  static final String RESOLVED_DATA = "rfc8428-5.1.4-resolved-data.json";
  static final String MULTIPLE_DATA_TYPES = "rfc8428-5.1.5-multiple-data-types.json";
  static final String COLLECTION_OF_RESOURCES = "rfc8428-5.1.6-collection-of-resources.json";
  static final String SETTING_AN_ACTUATOR = "rfc8428-5.1.7-setting-an-actuator.json";
  static final String LIGHTS_ON = "rfc8428-5.1.7-lights-on.json";
  static final String LIGHTS_OFF = "rfc8428-5.1.7-lights-off.json";
  /** Section 6: {@link #MULTIPLE_DATAPOINTS_TIMED} in CBOR, as the RFC's hex dump. */
  static final String CBOR_MULTIPLE_DATAPOINTS_TIMED = "rfc8428-6-multiple-datapoints-timed.cbor.hex";

  static final List<String> JSON = List.of(
      SINGLE_DATAPOINT, MULTIPLE_DATAPOINTS, MULTIPLE_DATAPOINTS_TIMED, MULTIPLE_MEASUREMENTS,
      RESOLVED_DATA, MULTIPLE_DATA_TYPES, COLLECTION_OF_RESOURCES, SETTING_AN_ACTUATOR, LIGHTS_ON, LIGHTS_OFF);

  private RfcExamples() {}

  static byte[] bytes(String name) {
    try (InputStream in = RfcExamples.class.getResourceAsStream("/senml/" + name)) {
      if (in == null) throw new IllegalArgumentException("no test resource senml/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SenmlPack json(String name) {
    return SenmlJson.decode(bytes(name));
  }

  static byte[] cbor(String hexName) {
    return HexFormat.of().parseHex(new String(bytes(hexName), StandardCharsets.US_ASCII).strip());
  }
}
