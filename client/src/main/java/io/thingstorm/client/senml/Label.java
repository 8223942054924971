package io.thingstorm.client.senml;

import java.util.HashMap;
import java.util.Map;

/** The labels of RFC 8428: text in JSON (section 4.3), integers in CBOR (section 6, table 4). */
enum Label {
  BASE_NAME("bn", -2),
  BASE_TIME("bt", -3),
  BASE_UNIT("bu", -4),
  BASE_VALUE("bv", -5),
  BASE_SUM("bs", -6),
  BASE_VERSION("bver", -1),
  NAME("n", 0),
  UNIT("u", 1),
  VALUE("v", 2),
  STRING_VALUE("vs", 3),
  BOOLEAN_VALUE("vb", 4),
  SUM("s", 5),
  TIME("t", 6),
  UPDATE_TIME("ut", 7),
  DATA_VALUE("vd", 8);

  private static final Map<String, Label> BY_JSON = new HashMap<>();
  /** Jackson's CBOR parser hands integer map keys over as their decimal text. */
  private static final Map<String, Label> BY_CBOR = new HashMap<>();

  static {
    for (Label label : values()) {
      BY_JSON.put(label.json, label);
      BY_CBOR.put(Integer.toString(label.cbor), label);
    }
  }

  final String json;
  final int cbor;

  Label(String json, int cbor) {
    this.json = json;
    this.cbor = cbor;
  }

  /** A bit of its own, to see a label given twice in one record. */
  int bit() {
    return 1 << ordinal();
  }

  static Label ofJson(String key) {
    return BY_JSON.get(key);
  }

  static Label ofCbor(String key) {
    return BY_CBOR.get(key);
  }

  @Override
  public String toString() {
    return json;
  }
}
