package io.thingstorm.client.senml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * What differs between SenML's JSON and CBOR: the labels, how numbers are written and how a data
 * value travels. Everything else, {@link PackReader} and {@link PackWriter} share.
 */
enum Syntax {
  JSON("JSON", "an object") {
    @Override
    Label label(String key) {
      return Label.ofJson(key);
    }

    @Override
    void writeLabel(JsonGenerator out, Label label) throws IOException {
      out.writeFieldName(label.json);
    }

    /**
     * Java's shortest digits that read back as the same double. Times such as 1320078429.5 stay
     * plain where Java would write 1.3200784295E9; other exponents get the lower-case "e" that
     * RFC 8428 section 5 requires.
     */
    @Override
    void writeNumber(JsonGenerator out, double number) throws IOException {
      if (isWholeLong(number)) {
        out.writeNumber((long) number);
        return;
      }
      out.writeNumber(jsonText(number));
    }

    /** RFC 8428 section 5: base64url, "with padding omitted". */
    @Override
    void writeData(JsonGenerator out, byte[] data) throws IOException {
      out.writeString(BASE64URL_ENCODER.encodeToString(data));
    }

    @Override
    byte[] readData(JsonParser in) throws IOException {
      if (in.currentToken() != JsonToken.VALUE_STRING) return null;
      // Java's decoder takes the padding as optional, so padded senders are read too.
      return Base64.getUrlDecoder().decode(in.getText());
    }

    @Override
    String dataKind() {
      return "base64url text";
    }
  },

  CBOR("CBOR", "a map") {
    @Override
    Label label(String key) {
      return Label.ofCbor(key);
    }

    @Override
    void writeLabel(JsonGenerator out, Label label) throws IOException {
      ((CBORGenerator) out).writeFieldId(label.cbor);
    }

    /** Whole numbers as CBOR integers, as in RFC 8428's own example; the rest as float64, exactly. */
    @Override
    void writeNumber(JsonGenerator out, double number) throws IOException {
      if (isWholeLong(number)) {
        out.writeNumber((long) number);
      } else {
        out.writeNumber(number);
      }
    }

    @Override
    void writeData(JsonGenerator out, byte[] data) throws IOException {
      out.writeBinary(data);
    }

    @Override
    byte[] readData(JsonParser in) throws IOException {
      if (in.currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT) return null;
      return in.getEmbeddedObject() instanceof byte[] ? in.getBinaryValue() : null;
    }

    @Override
    String dataKind() {
      return "a byte string";
    }
  };

  private static final Base64.Encoder BASE64URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** For messages: "JSON", "CBOR". */
  final String displayName;
  /** For messages: what a record is in this syntax. */
  final String objectKind;

  Syntax(String displayName, String objectKind) {
    this.displayName = displayName;
    this.objectKind = objectKind;
  }

  /** The label a map key stands for, or null for a label this library does not know. */
  abstract Label label(String key);

  abstract void writeLabel(JsonGenerator out, Label label) throws IOException;

  abstract void writeNumber(JsonGenerator out, double number) throws IOException;

  abstract void writeData(JsonGenerator out, byte[] data) throws IOException;

  /**
   * The data value under the parser, or null when the value is of another kind.
   *
   * @throws IllegalArgumentException when JSON text is not base64url
   */
  abstract byte[] readData(JsonParser in) throws IOException;

  /** For messages: what a data value must be in this syntax. */
  abstract String dataKind();

  /** How JSON writes a number that is not {@linkplain #isWholeLong whole}. */
  static String jsonText(double number) {
    String text = Double.toString(number);
    if (text.indexOf('E') < 0) return text;
    if (Math.abs(number) >= 1 && Math.abs(number) < 1e15) return plain(text);
    return text.replace('E', 'e');
  }

  /**
   * Java's "d.dddE<n>" with the point moved n places right: what {@code BigDecimal.toPlainString}
   * gives for a number that is not whole (a message time in every template), without its cost.
   */
  static String plain(String text) {
    int e = text.indexOf('E');
    int start = text.charAt(0) == '-' ? 1 : 0;
    int exponent = Integer.parseInt(text, e + 1, text.length(), 10);
    int fraction = e - (start + 2); // digits after the mantissa's point
    if (exponent < 0 || text.charAt(start + 1) != '.' || fraction <= exponent) return new BigDecimal(text).toPlainString();
    StringBuilder out = new StringBuilder(e + 1);
    out.append(text, 0, start + 1).append(text, start + 2, start + 2 + exponent).append('.').append(text, start + 2 + exponent, e);
    return out.toString();
  }

  /** Whole numbers that a long holds exactly read back as the same double, and print shorter. */
  static boolean isWholeLong(double number) {
    return number == Math.rint(number)
        && Math.abs(number) < 0x1p63
        && !(number == 0 && Double.doubleToRawLongBits(number) != 0); // keep -0.0 a double
  }
}
