package io.thingstorm.client.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one pack from Jackson's token stream, JSON or CBOR alike. Whatever the input, the result
 * is a valid {@link SenmlPack} or a {@link SenmlException}: no parser exception leaks out.
 */
final class PackReader {
  private final JsonParser in;
  private final Syntax syntax;
  private final SenmlLimits limits;
  /** The record being read, for messages; -1 outside records. */
  private int index = -1;

  private PackReader(JsonParser in, Syntax syntax, SenmlLimits limits) {
    this.in = in;
    this.syntax = syntax;
    this.limits = limits;
  }

  static SenmlPack read(JsonFactory factory, byte[] bytes, Syntax syntax, SenmlLimits limits) {
    if (bytes.length > limits.maxBytes()) {
      throw new SenmlException("pack is larger than the limit of " + limits.maxBytes() + " bytes");
    }
    if (bytes.length == 0) throw new SenmlException("pack is empty (0 bytes)");
    if (syntax == Syntax.CBOR) CborShape.check(bytes);
    PackReader reader = null;
    try (JsonParser in = factory.createParser(bytes)) {
      reader = new PackReader(in, syntax, limits);
      return reader.readPack();
    } catch (SenmlException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // RuntimeException too: a parser's bug on hostile input must still reach the caller as one line.
      throw malformed(reader, syntax, e);
    }
  }

  private SenmlPack readPack() throws IOException {
    JsonToken token = in.nextToken();
    if (token != JsonToken.START_ARRAY) {
      throw new SenmlException("a pack is a " + syntax.displayName + " array of records, not " + kindOf(token));
    }
    List<SenmlRecord> records = new ArrayList<>();
    while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) throw new SenmlException("pack ends before its array closes");
      if (records.size() == limits.maxRecords()) {
        throw new SenmlException("pack has more than " + limits.maxRecords() + " records (the limit)");
      }
      index = records.size();
      if (token != JsonToken.START_OBJECT) throw fail("is " + kindOf(token) + ", not " + syntax.objectKind);
      records.add(readRecord());
      index = -1;
    }
    if (in.nextToken() != null) throw new SenmlException("unexpected data after the pack's array");
    return new SenmlPack(records);
  }

  private SenmlRecord readRecord() throws IOException {
    SenmlRecord.Builder record = SenmlRecord.builder();
    Label valueLabel = null;
    int seen = 0;
    for (JsonToken token = in.nextToken(); token != JsonToken.END_OBJECT; token = in.nextToken()) {
      if (token != JsonToken.FIELD_NAME) throw fail("pack ends inside this record");
      String key = in.currentName();
      if (in.nextToken() == null) throw fail("pack ends inside this record");
      Label label = syntax.label(key);
      if (label == null) {
        // RFC 8428 section 4.4: ignore labels not understood, unless they end in "_".
        if (key.endsWith("_")) {
          throw fail("label " + PackRules.quote(key) + " ends with \"_\", so it must be understood, and is not");
        }
        in.skipChildren();
        continue;
      }
      if ((seen & label.bit()) != 0) throw fail(label + " appears twice");
      seen |= label.bit();
      switch (label) {
        case BASE_NAME -> record.baseName(text(label));
        case BASE_TIME -> record.baseTime(number(label));
        case BASE_UNIT -> record.baseUnit(text(label));
        case BASE_VALUE -> record.baseValue(number(label));
        case BASE_SUM -> record.baseSum(number(label));
        case BASE_VERSION -> record.baseVersion(version());
        case NAME -> record.name(text(label));
        case UNIT -> record.unit(text(label));
        case SUM -> record.sum(number(label));
        case TIME -> record.time(number(label));
        case UPDATE_TIME -> record.updateTime(number(label));
        case VALUE, STRING_VALUE, BOOLEAN_VALUE, DATA_VALUE -> {
          if (valueLabel != null) {
            throw fail("has two values, " + valueLabel + " and " + label + " (a record has at most one)");
          }
          valueLabel = label;
          record.value(value(label));
        }
      }
    }
    return record.build();
  }

  private SenmlValue value(Label label) throws IOException {
    return switch (label) {
      case VALUE -> SenmlValue.of(number(label));
      case STRING_VALUE -> SenmlValue.of(text(label));
      case BOOLEAN_VALUE -> {
        JsonToken token = in.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
          throw fail("vb must be true or false, not " + kindOf(token));
        }
        yield SenmlValue.of(token == JsonToken.VALUE_TRUE);
      }
      case DATA_VALUE -> {
        byte[] data;
        try {
          data = syntax.readData(in);
        } catch (IllegalArgumentException e) {
          throw fail("vd is not base64url (RFC 4648 section 5): " + e.getMessage());
        }
        if (data == null) throw fail("vd must be " + syntax.dataKind() + ", not " + kindOf(in.currentToken()));
        yield SenmlValue.of(data);
      }
      default -> throw new IllegalArgumentException(label + " is not a value");
    };
  }

  private String text(Label label) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_STRING) throw fail(label + " must be text, not " + kindOf(in.currentToken()));
    String text = in.getText();
    // JSON's \uDC48 and CBOR's ill-formed UTF-8 both read as a lone surrogate, which no encoder writes back.
    if (!wellFormed(text)) throw fail(label + " is not valid Unicode text (it holds an unpaired surrogate)");
    return text;
  }

  private static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private double number(Label label) throws IOException {
    if (!in.currentToken().isNumeric()) throw fail(label + " must be a number, not " + kindOf(in.currentToken()));
    return in.getDoubleValue();
  }

  private int version() throws IOException {
    JsonToken token = in.currentToken();
    if (token == JsonToken.VALUE_NUMBER_FLOAT) throw fail("bver must be an integer, not " + in.getText());
    if (token != JsonToken.VALUE_NUMBER_INT) throw fail("bver must be an integer, not " + kindOf(token));
    if (in.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw fail("bver " + in.getText() + " is out of range");
    long bver = in.getLongValue();
    PackRules.checkVersion(index, bver);
    return (int) bver;
  }

  private String kindOf(JsonToken token) {
    if (token == null) return "the end of the input";
    return switch (token) {
      case VALUE_STRING -> "text";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> syntax.objectKind;
      case START_ARRAY -> "an array";
      case VALUE_EMBEDDED_OBJECT -> "a byte string";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private SenmlException fail(String problem) {
    return PackRules.fail(index, problem);
  }

  private static SenmlException malformed(PackReader reader, Syntax syntax, Exception e) {
    StringBuilder message = new StringBuilder();
    if (reader != null && reader.index >= 0) message.append("record ").append(reader.index).append(": ");
    if (e instanceof StreamConstraintsException) {
      message.append("pack exceeds a parser limit: ").append(originalMessage(e));
      return new SenmlException(message.toString(), e);
    }
    message.append("not valid ").append(syntax.displayName);
    JsonLocation where = e instanceof JsonProcessingException p ? p.getLocation() : null;
    if (where != null && where.getByteOffset() >= 0) message.append(" at byte ").append(where.getByteOffset());
    message.append(": ").append(originalMessage(e));
    return new SenmlException(message.toString(), e);
  }

  /**
   * Jackson's message without what it adds for developers: the source excerpt on further lines and
   * where the open array or object started; the byte offset already says where.
   */
  private static String originalMessage(Exception e) {
    String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    if (message == null || message.isBlank()) return e.getClass().getSimpleName();
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    message = message.replaceFirst("\\s*\\(start (marker|token) at .*$", "");
    return message.length() <= 200 ? message : message.substring(0, 197) + "...";
  }
}
