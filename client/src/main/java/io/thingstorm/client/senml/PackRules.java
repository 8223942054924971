package io.thingstorm.client.senml;

import java.util.List;

/** The rules of RFC 8428 that a pack must keep, checked in one pass with the base fields in force. */
final class PackRules {
  /**
   * Times and durations past this many seconds (about 31 million years) are refused: they cannot be
   * readings, and they would overflow {@link java.time.Instant}.
   */
  static final double MAX_SECONDS = 1e15;

  private PackRules() {}

  static void check(List<SenmlRecord> records) {
    if (records.isEmpty()) throw new SenmlException("a pack has at least one record (RFC 8428 section 11)");
    int version = versionOf(records.get(0));
    String baseName = "";
    boolean baseNameAllowed = true;
    double baseTime = 0;
    boolean baseSum = false;
    for (int i = 0; i < records.size(); i++) {
      SenmlRecord r = records.get(i);
      checkVersion(i, r.baseVersion(), version);
      checkNumbers(i, r);
      if (r.baseName() != null) {
        baseName = r.baseName();
        baseNameAllowed = allowedInNames(baseName);
      }
      if (r.baseTime() != null) baseTime = r.baseTime();
      if (r.baseSum() != null) baseSum = true;
      if (r.hasBaseFieldsOnly()) {
        // RFC 8428 section 5.1.7 opens a pack with {"bn":...} alone: it sets base fields, it is no reading.
        if (isEmpty(r)) throw fail(i, "has no fields");
        continue;
      }
      checkName(i, baseName, baseNameAllowed, r.name() == null ? "" : r.name());
      if (r.value() == null && r.sum() == null && !baseSum) {
        throw fail(i, "has no value and no sum (one of v, vs, vb, vd, or s)");
      }
      double time = baseTime + (r.time() == null ? 0 : r.time());
      if (!(Math.abs(time) <= MAX_SECONDS)) throw fail(i, "time " + time + " is out of range");
    }
  }

  private static int versionOf(SenmlRecord first) {
    return first.baseVersion() == null ? SenmlPack.VERSION : first.baseVersion();
  }

  private static void checkVersion(int index, Integer bver, int packVersion) {
    if (bver == null) return;
    checkVersion(index, bver.longValue());
    if (bver != packVersion) {
      throw fail(index, "bver " + bver + " differs from the pack's version " + packVersion
          + " (all records of a pack have one version)");
    }
  }

  /** Refuses a version this library cannot read; decoders call it before a version fits an int. */
  static void checkVersion(int index, long bver) {
    if (bver < 1) throw fail(index, "bver must be a positive integer, not " + bver);
    if (bver > SenmlPack.VERSION) {
      throw fail(index, "bver " + bver + " is a SenML version newer than " + SenmlPack.VERSION
          + ", the newest this library understands");
    }
  }

  private static void checkNumbers(int index, SenmlRecord r) {
    finite(index, "bt", r.baseTime());
    finite(index, "bv", r.baseValue());
    finite(index, "bs", r.baseSum());
    finite(index, "s", r.sum());
    finite(index, "t", r.time());
    finite(index, "ut", r.updateTime());
    if (r.value() instanceof SenmlValue.Number v) finite(index, "v", v.value());
    if (r.updateTime() != null && !(Math.abs(r.updateTime()) <= MAX_SECONDS)) {
      throw fail(index, "ut " + r.updateTime() + " is out of range");
    }
  }

  private static void finite(int index, String label, Double number) {
    if (number != null && !Double.isFinite(number)) throw fail(index, label + " is not a finite number (" + number + ")");
  }

  private static boolean isEmpty(SenmlRecord r) {
    return r.baseName() == null && r.baseTime() == null && r.baseUnit() == null && r.baseValue() == null
        && r.baseSum() == null && r.baseVersion() == null;
  }

  /**
   * RFC 8428 section 4.5.1: the base name and name joined must be non-empty, start with a letter or
   * digit, and hold only letters, digits and {@code - : . / _}, so that names fit URIs and databases.
   * The base name's characters are checked once, where it is set, not again for every record it
   * prefixes; when a check fails, {@link #refuseName} finds the character to name.
   */
  private static void checkName(int index, String baseName, boolean baseNameAllowed, String name) {
    String start = baseName.isEmpty() ? name : baseName;
    if (!start.isEmpty() && isLetterOrDigit(start.charAt(0)) && baseNameAllowed && allowedInNames(name)) return;
    refuseName(index, baseName + name);
  }

  private static void refuseName(int index, String name) {
    if (name.isEmpty()) throw fail(index, "has no name (no n, and no bn before it)");
    char first = name.charAt(0);
    if (!isLetterOrDigit(first)) {
      throw fail(index, "name " + quote(name) + " must start with a letter or a digit, not " + show(first));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!allowedInNames(c)) throw fail(index, "name " + quote(name) + " has a character not allowed (" + show(c) + ")");
    }
    throw new AssertionError("every character of the name is allowed");
  }

  private static boolean allowedInNames(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!allowedInNames(text.charAt(i))) return false;
    }
    return true;
  }

  private static boolean allowedInNames(char c) {
    return isLetterOrDigit(c) || c == '-' || c == ':' || c == '.' || c == '/' || c == '_';
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  static SenmlException fail(int index, String problem) {
    return new SenmlException("record " + index + ": " + problem);
  }

  /** Text from a pack, quoted for a message and cut short: a message stays one readable line. */
  static String quote(String text) {
    return "\"" + (text.length() <= 64 ? text : text.substring(0, 61) + "...") + "\"";
  }

  private static String show(char c) {
    return c < 0x20 || c >= 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }
}
