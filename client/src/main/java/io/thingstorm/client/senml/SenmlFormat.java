package io.thingstorm.client.senml;

/** The two SenML formats this library reads and writes. */
public enum SenmlFormat {
  JSON(SenmlJson.MEDIA_TYPE),
  CBOR(SenmlCbor.MEDIA_TYPE);

  private final String mediaType;

  SenmlFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /**
   * The format of an encoded pack, from its first bytes: a CBOR pack opens with an array (0x80 to
   * 0x9f), possibly after the self-described CBOR tag; a JSON pack with '[' after any whitespace.
   * The two cannot be confused: whitespace and '[' are no CBOR array.
   *
   * @throws SenmlException when the bytes start like neither
   */
  public static SenmlFormat detect(byte[] pack) {
    int i = 0;
    if (pack.length >= 3 && (pack[0] & 0xff) == 0xd9 && (pack[1] & 0xff) == 0xd9 && (pack[2] & 0xff) == 0xf7) i = 3;
    if (i < pack.length && (pack[i] & 0xe0) == 0x80) return CBOR;

    i = 0;
    if (pack.length >= 3 && (pack[0] & 0xff) == 0xef && (pack[1] & 0xff) == 0xbb && (pack[2] & 0xff) == 0xbf) i = 3;
    while (i < pack.length && (pack[i] == ' ' || pack[i] == '\t' || pack[i] == '\n' || pack[i] == '\r')) i++;
    if (i < pack.length && pack[i] == '[') return JSON;

    if (i == pack.length) throw new SenmlException("pack is empty" + (pack.length == 0 ? " (0 bytes)" : " (whitespace only)"));
    int first = pack[i] & 0xff;
    String shown = first >= 0x20 && first < 0x7f ? String.format("0x%02x ('%c')", first, (char) first) : String.format("0x%02x", first);
    throw new SenmlException("not SenML: JSON starts with '[', CBOR with an array (0x80-0x9f), this with " + shown);
  }

  /** Decodes and checks a pack in this format within {@link SenmlLimits#DEFAULT}. */
  public SenmlPack decode(byte[] pack) {
    return decode(pack, SenmlLimits.DEFAULT);
  }

  public SenmlPack decode(byte[] pack, SenmlLimits limits) {
    return switch (this) {
      case JSON -> SenmlJson.decode(pack, limits);
      case CBOR -> SenmlCbor.decode(pack, limits);
    };
  }

  public byte[] encode(SenmlPack pack) {
    return switch (this) {
      case JSON -> SenmlJson.encode(pack);
      case CBOR -> SenmlCbor.encode(pack);
    };
  }
}
