package io.thingstorm.client.senml;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The one value a record carries: a number ({@code v}), text ({@code vs}), a boolean ({@code vb})
 * or bytes ({@code vd}). RFC 8428 allows exactly one of them per record, which this type makes the
 * only possibility.
 */
public sealed interface SenmlValue {

  static SenmlValue of(double number) {
    return new Number(number);
  }

  static SenmlValue of(String text) {
    return new Text(text);
  }

  static SenmlValue of(boolean bool) {
    return new Bool(bool);
  }

  static SenmlValue of(byte[] data) {
    return new Data(data);
  }

  /** {@code v}: a measurement, in the record's unit. */
  record Number(double value) implements SenmlValue {}

  /** {@code vs}: a string value. */
  record Text(String value) implements SenmlValue {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code vb}: a boolean value. */
  record Bool(boolean value) implements SenmlValue {}

  /** {@code vd}: opaque bytes; base64url text in JSON, a byte string in CBOR. */
  record Data(byte[] bytes) implements SenmlValue {
    public Data {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The bytes without a copy, for encoders in this package. */
    byte[] bytesUnsafe() {
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Data[" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "]";
    }
  }
}
