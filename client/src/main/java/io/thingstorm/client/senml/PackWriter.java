package io.thingstorm.client.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a pack through Jackson's generator, JSON or CBOR alike. Fields go out in the order of
 * RFC 8428's examples (bn, bt, bu, bv, bs, bver, n, u, t, value, s, ut), so encoding an example
 * gives back the example.
 */
final class PackWriter {
  private PackWriter() {}

  static byte[] write(JsonFactory factory, SenmlPack pack, Syntax syntax, PrettyPrinter layout) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 48 * pack.records().size());
    try (JsonGenerator out = factory.createGenerator(bytes)) {
      if (layout != null) out.setPrettyPrinter(layout);
      // Sizes up front: CBOR then writes definite-length arrays and maps, as RFC 8428 section 6 asks.
      out.writeStartArray(pack, pack.records().size());
      for (SenmlRecord record : pack.records()) writeRecord(out, record, syntax);
      out.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  private static void writeRecord(JsonGenerator out, SenmlRecord r, Syntax syntax) throws IOException {
    out.writeStartObject(r, fieldCount(r));
    text(out, syntax, Label.BASE_NAME, r.baseName());
    number(out, syntax, Label.BASE_TIME, r.baseTime());
    text(out, syntax, Label.BASE_UNIT, r.baseUnit());
    number(out, syntax, Label.BASE_VALUE, r.baseValue());
    number(out, syntax, Label.BASE_SUM, r.baseSum());
    if (r.baseVersion() != null) {
      syntax.writeLabel(out, Label.BASE_VERSION);
      out.writeNumber(r.baseVersion().intValue());
    }
    text(out, syntax, Label.NAME, r.name());
    text(out, syntax, Label.UNIT, r.unit());
    number(out, syntax, Label.TIME, r.time());
    switch (r.value()) {
      case SenmlValue.Number v -> number(out, syntax, Label.VALUE, v.value());
      case SenmlValue.Text v -> text(out, syntax, Label.STRING_VALUE, v.value());
      case SenmlValue.Bool v -> {
        syntax.writeLabel(out, Label.BOOLEAN_VALUE);
        out.writeBoolean(v.value());
      }
      case SenmlValue.Data v -> {
        syntax.writeLabel(out, Label.DATA_VALUE);
        syntax.writeData(out, v.bytesUnsafe());
      }
      case null -> {}
    }
    number(out, syntax, Label.SUM, r.sum());
    number(out, syntax, Label.UPDATE_TIME, r.updateTime());
    out.writeEndObject();
  }

  private static void text(JsonGenerator out, Syntax syntax, Label label, String text) throws IOException {
    if (text == null) return;
    syntax.writeLabel(out, label);
    out.writeString(text);
  }

  private static void number(JsonGenerator out, Syntax syntax, Label label, Double number) throws IOException {
    if (number == null) return;
    syntax.writeLabel(out, label);
    syntax.writeNumber(out, number);
  }

  private static int fieldCount(SenmlRecord r) {
    return present(r.baseName()) + present(r.baseTime()) + present(r.baseUnit()) + present(r.baseValue())
        + present(r.baseSum()) + present(r.baseVersion()) + present(r.name()) + present(r.unit())
        + present(r.value()) + present(r.sum()) + present(r.time()) + present(r.updateTime());
  }

  private static int present(Object field) {
    return field == null ? 0 : 1;
  }
}
