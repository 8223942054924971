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

  /** Where the numbers a {@link SenmlStencil} leaves open fall in the encoded pack, told while it is written. */
  interface Cuts {
    boolean isOpen(int record, Label label);

    /** The number's bytes, with what the syntax writes before a value (JSON's colon), are {@code from} to {@code to}. */
    void cut(int record, Label label, int from, int to);
  }

  static byte[] write(JsonFactory factory, SenmlPack pack, Syntax syntax, PrettyPrinter layout) {
    return write(factory, pack, syntax, layout, null);
  }

  static byte[] write(JsonFactory factory, SenmlPack pack, Syntax syntax, PrettyPrinter layout, Cuts cuts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 48 * pack.records().size());
    try (JsonGenerator out = factory.createGenerator(bytes)) {
      if (layout != null) out.setPrettyPrinter(layout);
      Numbers plain = (label, number) -> number(out, syntax, label, number);
      // Sizes up front: CBOR then writes definite-length arrays and maps, as RFC 8428 section 6 asks.
      out.writeStartArray(pack, pack.records().size());
      for (int i = 0; i < pack.records().size(); i++) {
        int record = i;
        Numbers numbers = cuts == null ? plain : (label, number) -> {
          boolean open = number != null && cuts.isOpen(record, label);
          if (open) out.flush();
          int from = bytes.size();
          number(out, syntax, label, number);
          if (!open) return;
          out.flush();
          cuts.cut(record, label, from, bytes.size());
        };
        writeRecord(out, pack.records().get(i), syntax, numbers);
      }
      out.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /** Writes one number field of the record under way. */
  private interface Numbers {
    void write(Label label, Double number) throws IOException;
  }

  private static void writeRecord(JsonGenerator out, SenmlRecord r, Syntax syntax, Numbers numbers) throws IOException {
    out.writeStartObject(r, fieldCount(r));
    text(out, syntax, Label.BASE_NAME, r.baseName());
    numbers.write(Label.BASE_TIME, r.baseTime());
    text(out, syntax, Label.BASE_UNIT, r.baseUnit());
    numbers.write(Label.BASE_VALUE, r.baseValue());
    numbers.write(Label.BASE_SUM, r.baseSum());
    if (r.baseVersion() != null) {
      syntax.writeLabel(out, Label.BASE_VERSION);
      out.writeNumber(r.baseVersion().intValue());
    }
    text(out, syntax, Label.NAME, r.name());
    text(out, syntax, Label.UNIT, r.unit());
    numbers.write(Label.TIME, r.time());
    switch (r.value()) {
      case SenmlValue.Number v -> numbers.write(Label.VALUE, v.value());
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
    numbers.write(Label.SUM, r.sum());
    numbers.write(Label.UPDATE_TIME, r.updateTime());
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
