package io.thingstorm.client.senml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pack encoded once with some of its numbers left open, for a sender that sends the same shape
 * again and again with new readings: a device's time, counter and measurement. Filling the open
 * numbers gives exactly the bytes that encoding the whole pack with those numbers would, in JSON or
 * CBOR, but builds no records, checks no names again and runs no generator: only the numbers are
 * written. A load generator renders every message it sends, and this is most of what that cost.
 *
 * <pre>{@code
 * SenmlStencil stencil = SenmlStencil.of(SenmlFormat.JSON, sample,
 *     List.of(new SenmlStencil.Slot(0, "v"), new SenmlStencil.Slot(0, "t")));
 * byte[] message = stencil.fill(21.4, 1795590000.123);
 * }</pre>
 *
 * <p>A stencil is immutable and may be filled from any number of threads at once.
 */
public final class SenmlStencil {
  /** A number field left open: record {@code record}'s {@code label}, one of bt, bv, bs, v, s, t, ut. */
  public record Slot(int record, String label) {}

  private static final List<Label> NUMBER_LABELS = List.of(
      Label.BASE_TIME, Label.BASE_VALUE, Label.BASE_SUM, Label.VALUE, Label.SUM, Label.TIME, Label.UPDATE_TIME);
  /** Room for one number: JSON's longest (a sign, 17 digits, a point, an exponent) is under 30. */
  private static final int NUMBER_ROOM = 40;

  private final Syntax syntax;
  /** Bytes before each open number in the order they are written, then what follows the last. */
  private final byte[][] between;
  /** Which slot (index into the list given) the k-th written number is: every slot is written once. */
  private final int[] written;
  private final int fixedLength;
  private final TimeRange times;

  private SenmlStencil(Syntax syntax, byte[][] between, int[] written, TimeRange times) {
    this.syntax = syntax;
    this.between = between;
    this.written = written;
    this.times = times;
    int length = 0;
    for (byte[] part : between) length += part.length;
    this.fixedLength = length;
  }

  /**
   * Encodes {@code sample}, a valid pack, with the numbers at {@code open} left to be filled.
   *
   * @throws IllegalArgumentException when a slot names no number field the sample has, or one twice
   */
  public static SenmlStencil of(SenmlFormat format, SenmlPack sample, List<Slot> open) {
    Syntax syntax = format == SenmlFormat.JSON ? Syntax.JSON : Syntax.CBOR;
    Map<Long, Integer> slotAt = new HashMap<>();
    for (int i = 0; i < open.size(); i++) {
      Slot slot = open.get(i);
      Label label = Label.ofJson(slot.label());
      if (label == null || !NUMBER_LABELS.contains(label)) {
        throw new IllegalArgumentException(slot + ": not a number field (one of bt, bv, bs, v, s, t, ut)");
      }
      if (slot.record() < 0 || slot.record() >= sample.records().size()) {
        throw new IllegalArgumentException(slot + ": the pack has " + sample.records().size() + " records");
      }
      if (numberOf(sample.records().get(slot.record()), label) == null) {
        throw new IllegalArgumentException(slot + ": the sample's record has no number there");
      }
      if (slotAt.put(key(slot.record(), label), i) != null) throw new IllegalArgumentException(slot + ": given twice");
    }

    List<int[]> cuts = new ArrayList<>(); // {slot, from, to}, in the order written
    byte[] encoded = PackWriter.write(format == SenmlFormat.JSON ? SenmlJson.FACTORY : SenmlCbor.FACTORY, sample,
        syntax, null, new PackWriter.Cuts() {
          @Override
          public boolean isOpen(int record, Label label) {
            return slotAt.containsKey(key(record, label));
          }

          @Override
          public void cut(int record, Label label, int from, int to) {
            cuts.add(new int[] {slotAt.get(key(record, label)), from, to});
          }
        });

    byte[][] between = new byte[cuts.size() + 1][];
    int[] written = new int[cuts.size()];
    int after = 0;
    byte[] scratch = new byte[NUMBER_ROOM];
    for (int k = 0; k < cuts.size(); k++) {
      int[] cut = cuts.get(k);
      Slot slot = open.get(cut[0]);
      double value = numberOf(sample.records().get(slot.record()), Label.ofJson(slot.label()));
      int length = write(syntax, value, scratch, 0);
      // The number is last in its cut; anything before it (JSON's colon) stays with the fixed bytes.
      int number = cut[2] - length;
      if (number < cut[1] || !Arrays.equals(encoded, number, cut[2], scratch, 0, length)) {
        throw new IllegalStateException(slot + ": the codec wrote " + value + " unlike the stencil");
      }
      between[k] = Arrays.copyOfRange(encoded, after, number);
      written[k] = cut[0];
      after = cut[2];
    }
    between[cuts.size()] = Arrays.copyOfRange(encoded, after, encoded.length);
    return new SenmlStencil(syntax, between, written, TimeRange.of(sample, open));
  }

  /** How many numbers {@link #fill} takes. */
  public int openNumbers() {
    return written.length;
  }

  /**
   * The pack with {@code numbers[i]} in the i-th slot given to {@link #of}.
   *
   * @throws SenmlException when a number would make the pack invalid: not finite, or a time out of range
   */
  public byte[] fill(double... numbers) {
    if (numbers.length != written.length) {
      throw new IllegalArgumentException("this stencil takes " + written.length + " numbers, not " + numbers.length);
    }
    for (double x : numbers) {
      if (!Double.isFinite(x)) throw new SenmlException("a filled number is not finite (" + x + ")");
    }
    times.check(numbers);
    byte[] out = new byte[fixedLength + NUMBER_ROOM * written.length];
    int at = 0;
    for (int k = 0; k < written.length; k++) {
      System.arraycopy(between[k], 0, out, at, between[k].length);
      at += between[k].length;
      at = write(syntax, numbers[written[k]], out, at);
    }
    byte[] last = between[written.length];
    System.arraycopy(last, 0, out, at, last.length);
    return Arrays.copyOf(out, at + last.length);
  }

  /** Writes a number as the codec's generator would (see {@link Syntax#writeNumber}); returns the new end. */
  private static int write(Syntax syntax, double number, byte[] out, int at) {
    boolean whole = Syntax.isWholeLong(number);
    if (syntax == Syntax.CBOR) return whole ? cborInteger((long) number, out, at) : cborDouble(number, out, at);
    if (whole) return decimal((long) number, out, at);
    String text = Syntax.jsonText(number);
    for (int i = 0; i < text.length(); i++) out[at++] = (byte) text.charAt(i); // digits, sign, point, e: ASCII
    return at;
  }

  private static int decimal(long value, byte[] out, int at) {
    if (value < 0) {
      out[at++] = '-';
      value = -value; // |value| < 2^63: isWholeLong keeps Long.MIN_VALUE out
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) digits++;
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + digits;
  }

  /** RFC 8949 section 3: major type 0 or 1 with the shortest argument, as Jackson's minimal ints. */
  private static int cborInteger(long value, byte[] out, int at) {
    int major = value >= 0 ? 0x00 : 0x20;
    long argument = value >= 0 ? value : -1 - value;
    if (argument < 24) {
      out[at] = (byte) (major | argument);
      return at + 1;
    }
    int bytes = argument <= 0xffL ? 1 : argument <= 0xffffL ? 2 : argument <= 0xffff_ffffL ? 4 : 8;
    out[at++] = (byte) (major | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27));
    for (int i = bytes - 1; i >= 0; i--) out[at++] = (byte) (argument >>> (8 * i));
    return at;
  }

  /** A float64 (major type 7, 0xfb): the codec writes every number that is not whole so, exactly. */
  private static int cborDouble(double value, byte[] out, int at) {
    long bits = Double.doubleToRawLongBits(value);
    out[at++] = (byte) 0xfb;
    for (int i = 7; i >= 0; i--) out[at++] = (byte) (bits >>> (8 * i));
    return at;
  }

  private static Double numberOf(SenmlRecord r, Label label) {
    return switch (label) {
      case BASE_TIME -> r.baseTime();
      case BASE_VALUE -> r.baseValue();
      case BASE_SUM -> r.baseSum();
      case VALUE -> r.value() instanceof SenmlValue.Number v ? v.value() : null;
      case SUM -> r.sum();
      case TIME -> r.time();
      case UPDATE_TIME -> r.updateTime();
      default -> null;
    };
  }

  private static long key(int record, Label label) {
    return ((long) record << 8) | label.ordinal();
  }

  /**
   * The time rules of {@link PackRules} that open numbers can break: a reading's time (the base time
   * in force plus its own) and an update time, within {@link PackRules#MAX_SECONDS}. Only readings an
   * open bt or t reaches are checked again, from the sample's fixed values and the filled ones.
   */
  private record TimeRange(Reading[] readings, int[] updateSlots) {
    /** One record's times: a fixed value, or the slot that fills it (-1 for none). */
    private record Reading(int record, double baseTime, int baseSlot, double time, int timeSlot) {}

    static TimeRange of(SenmlPack sample, List<Slot> open) {
      List<SenmlRecord> records = sample.records();
      List<Reading> reached = new ArrayList<>();
      List<Integer> updates = new ArrayList<>();
      double base = 0;
      int baseSlot = -1;
      for (int i = 0; i < records.size(); i++) {
        SenmlRecord r = records.get(i);
        if (r.baseTime() != null) {
          base = r.baseTime();
          baseSlot = open.indexOf(new Slot(i, "bt"));
        }
        int timeSlot = open.indexOf(new Slot(i, "t"));
        int updateSlot = open.indexOf(new Slot(i, "ut"));
        if (updateSlot >= 0) updates.add(updateSlot);
        if (r.hasBaseFieldsOnly() || (baseSlot < 0 && timeSlot < 0)) continue;
        reached.add(new Reading(i, base, baseSlot, r.time() == null ? 0 : r.time(), timeSlot));
      }
      return new TimeRange(reached.toArray(Reading[]::new), updates.stream().mapToInt(Integer::intValue).toArray());
    }

    void check(double[] numbers) {
      for (Reading r : readings) {
        double t = (r.baseSlot() < 0 ? r.baseTime() : numbers[r.baseSlot()]) + (r.timeSlot() < 0 ? r.time() : numbers[r.timeSlot()]);
        if (!(Math.abs(t) <= PackRules.MAX_SECONDS)) throw PackRules.fail(r.record(), "time " + t + " is out of range");
      }
      for (int slot : updateSlots) {
        if (!(Math.abs(numbers[slot]) <= PackRules.MAX_SECONDS)) throw new SenmlException("ut " + numbers[slot] + " is out of range");
      }
    }
  }
}
