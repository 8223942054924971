package io.thingstorm.client.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;

/** SenML in JSON, {@code application/senml+json} (RFC 8428 section 5). */
public final class SenmlJson {
  public static final String MEDIA_TYPE = "application/senml+json";

  /**
   * A pack is two levels deep; extension values may nest a little. The shared pool recycles
   * buffers across the virtual threads that run device clients, where thread-local pools do not.
   */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
      .build();

  private static final MinimalPrettyPrinter ONE_RECORD_PER_LINE = new MinimalPrettyPrinter() {
    @Override
    public void writeStartArray(JsonGenerator out) throws IOException {
      out.writeRaw("[\n");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator out) throws IOException {
      out.writeRaw(",\n");
    }

    @Override
    public void writeEndArray(JsonGenerator out, int values) throws IOException {
      out.writeRaw("\n]");
    }
  };

  private SenmlJson() {}

  /** Decodes and checks a pack within {@link SenmlLimits#DEFAULT}. */
  public static SenmlPack decode(byte[] json) {
    return decode(json, SenmlLimits.DEFAULT);
  }

  public static SenmlPack decode(byte[] json, SenmlLimits limits) {
    return PackReader.read(FACTORY, json, Syntax.JSON, limits);
  }

  /** Compact UTF-8 JSON, e.g. {@code [{"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}]}. */
  public static byte[] encode(SenmlPack pack) {
    return PackWriter.write(FACTORY, pack, Syntax.JSON, null);
  }

  /** The same JSON with each record on a line of its own, for people and diffs. */
  public static byte[] encodeOneRecordPerLine(SenmlPack pack) {
    return PackWriter.write(FACTORY, pack, Syntax.JSON, ONE_RECORD_PER_LINE);
  }
}
