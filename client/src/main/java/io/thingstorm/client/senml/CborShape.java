package io.thingstorm.client.senml;

/**
 * Walks the item headers of a CBOR pack once, without allocating, before Jackson reads it, and
 * refuses a stack of tags on one item: Jackson 2.20 keeps an item's tags in a list that grows by 8
 * at a time, so a 1 MB run of tag headers took minutes and gigabytes of garbage. SenML uses no tags;
 * a few are let through for Jackson to judge. Everything else that is wrong (truncation, lengths
 * beyond the input, nesting beyond the factory's limit) is Jackson's to report, with its words:
 * the walk just stops there.
 */
final class CborShape {
  static final int MAX_TAGS = 4;
  /** Beyond {@link SenmlCbor#FACTORY}'s nesting limit of 32, Jackson refuses the pack anyway. */
  private static final int MAX_DEPTH = 33;
  private static final long INDEFINITE = -1;
  private static final long MALFORMED = -2;

  private final byte[] in;
  private int at;

  private CborShape(byte[] in) {
    this.in = in;
  }

  /** @throws SenmlException when an item carries more than {@link #MAX_TAGS} tags */
  static void check(byte[] cbor) {
    new CborShape(cbor).walk();
  }

  private void walk() {
    // left[d]: items still to come in the container open at depth d (map keys count as items).
    long[] left = new long[MAX_DEPTH + 1];
    int depth = 0;
    left[0] = 1; // the pack itself; what follows it is PackReader's to report
    int tags = 0;
    while (at < in.length && depth >= 0) {
      int start = at;
      int initial = in[at++] & 0xff;
      int major = initial >>> 5;
      int info = initial & 0x1f;
      if (major == 7 && info == 31) { // "break": closes an indefinite-length container
        if (depth == 0 || left[depth] != INDEFINITE) return;
        depth = itemDone(left, depth - 1);
        continue;
      }
      long argument = argument(info, major);
      if (argument == MALFORMED) return;
      if (major == 6) {
        if (++tags > MAX_TAGS) {
          throw new SenmlException("not valid CBOR at byte " + start + ": more than " + MAX_TAGS + " tags on one item");
        }
        continue;
      }
      tags = 0;
      if (major == 2 || major == 3) {
        if (argument == INDEFINITE) {
          if (depth == MAX_DEPTH) return;
          left[++depth] = INDEFINITE;
          continue;
        }
        if (argument > in.length - at) return;
        at += (int) argument;
      } else if (major == 4 || major == 5) {
        long items = argument == INDEFINITE ? INDEFINITE : major == 4 ? argument : argument * 2;
        if (argument != INDEFINITE && (argument > in.length - at || items > in.length - at)) return;
        if (items != 0) {
          if (depth == MAX_DEPTH) return;
          left[++depth] = items;
          continue;
        }
      }
      depth = itemDone(left, depth);
    }
  }

  /**
   * Counts one finished item in the container at {@code depth} and closes the definite containers
   * it completes: the depth after that, or -1 when the pack itself is complete.
   */
  private static int itemDone(long[] left, int depth) {
    int d = depth;
    while (d >= 0 && left[d] != INDEFINITE && --left[d] == 0) d--;
    return d;
  }

  /** The header's argument (a length, count, tag or value), INDEFINITE, or MALFORMED. */
  private long argument(int info, int major) {
    if (info < 24) return info;
    int size = switch (info) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      case 31 -> 0;
      default -> -1;
    };
    if (size < 0) return MALFORMED;
    if (size == 0) return major == 0 || major == 1 || major == 6 ? MALFORMED : INDEFINITE;
    if (size > in.length - at) return MALFORMED;
    long value = 0;
    for (int i = 0; i < size; i++) value = value << 8 | (in[at++] & 0xff);
    // Above 2^63 the value reads negative here: no input is that long, so it is as good as the maximum.
    return value < 0 ? Long.MAX_VALUE : value;
  }
}
