package io.thingstorm.client.senml;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/**
 * SenML in CBOR, {@code application/senml+cbor} (RFC 8428 section 6): integer labels, data values
 * as byte strings, whole numbers as integers.
 */
public final class SenmlCbor {
  public static final String MEDIA_TYPE = "application/senml+cbor";

  /** Configured like {@link SenmlJson#FACTORY}, for the same reasons. */
  static final CBORFactory FACTORY = CBORFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
      .build();

  private SenmlCbor() {}

  /** Decodes and checks a pack within {@link SenmlLimits#DEFAULT}. */
  public static SenmlPack decode(byte[] cbor) {
    return decode(cbor, SenmlLimits.DEFAULT);
  }

  public static SenmlPack decode(byte[] cbor, SenmlLimits limits) {
    return PackReader.read(FACTORY, cbor, Syntax.CBOR, limits);
  }

  public static byte[] encode(SenmlPack pack) {
    return PackWriter.write(FACTORY, pack, Syntax.CBOR, null);
  }
}
