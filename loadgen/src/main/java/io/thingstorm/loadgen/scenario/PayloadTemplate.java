package io.thingstorm.loadgen.scenario;

import io.thingstorm.client.senml.SenmlException;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.senml.SenmlRecord;
import io.thingstorm.client.senml.SenmlStencil;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SenML message template, compiled once from a scenario's {@code payload} and rendered for every
 * message. Record fields are SenML JSON labels ({@code bn, bt, bu, bv, bs, bver, n, u, v, vs, vb, vd,
 * s, t, ut}); text and number fields may hold placeholders that change per message:
 * <ul>
 *   <li>{@code ${thing}}: the device's thing name; {@code ${channel}}: its channel;</li>
 *   <li>{@code ${counter}}: the device's message counter;</li>
 *   <li>{@code ${time}}: the time the message is rendered, epoch seconds with a millisecond fraction;
 *       subscribers compute end-to-end latency from it, so keep it in a {@code t} or {@code bt};</li>
 *   <li>{@code ${random(a, b)}}: a uniform number from a to b, with as many decimals as the bounds
 *       are written with ({@code random(18.0, 26.0)} gives {@code 21.4}).</li>
 * </ul>
 * A number field holds a number or exactly one of the number placeholders; a text field may mix
 * placeholders and text. The template is parsed once: rendering builds records directly, with no
 * parsing or regex per message. With a {@code size}, a last record {@code {"n":"pad","vs":"xxx..."}}
 * pads each message to exactly that many bytes; a message bigger than that without padding is sent
 * whole, never cut. A template is immutable and may be rendered from any number of threads at once.
 */
public final class PayloadTemplate {
  /** The template used when a scenario gives none: one temperature reading with its time and a counter. */
  public static final List<Map<String, Object>> DEFAULT_RECORDS = List.of(
      orderedMap("bn", "${thing}:", "n", "temperature", "u", "Cel", "v", "${random(18.0, 26.0)}", "t", "${time}"),
      orderedMap("n", "seq", "v", "${counter}"));

  /** The pad record's name; its {@code vs} carries the padding. */
  public static final String PAD_NAME = "pad";
  private static final SenmlRecord EMPTY_PAD = SenmlRecord.builder().name(PAD_NAME).value("").build();
  private static final byte PAD_BYTE = 'x';
  /**
   * The thing and channel of the sample that checks a template and its size: as long as the UUIDs a
   * fleet's things and channels carry, so that the least size it names is exact in a run, not 23
   * bytes short of a message with a UUID in its {@code bn}.
   */
  private static final String SAMPLE_ID = "00000000-0000-0000-0000-000000000000";

  private static final Pattern RANDOM = Pattern.compile(
      "random\\(\\s*(-?\\d+(?:\\.(\\d+))?)\\s*,\\s*(-?\\d+(?:\\.(\\d+))?)\\s*\\)");
  private static final String PLACEHOLDERS = "${thing}, ${channel}, ${counter}, ${time}, ${random(a, b)}";

  private final SenmlFormat format;
  private final int size;
  private final RecordTemplate[] records;
  private final boolean carriesTime;
  /** The number fields that change per message, in the order rendering draws them. */
  private final OpenNumber[] openNumbers;
  /** True when text changes per message too (a placeholder other than thing and channel in it): no stencil. */
  private final boolean textChanges;

  /** The first record's {@code bn} around {@code ${thing}}, when it is the thing name between fixed text; else null. */
  private final String[] senderAround;

  private PayloadTemplate(SenmlFormat format, int size, RecordTemplate[] records, boolean carriesTime,
      OpenNumber[] openNumbers, boolean textChanges, String[] senderAround) {
    this.senderAround = senderAround;
    this.format = format;
    this.size = size;
    this.records = records;
    this.carriesTime = carriesTime;
    this.openNumbers = openNumbers;
    this.textChanges = textChanges;
  }

  /**
   * Compiles a template and renders it once through the codec, so that a template that cannot give
   * valid SenML is refused now, not at the first message.
   *
   * @param records one map per SenML record, keyed by SenML JSON labels
   * @param size pad every message to this many bytes; 0 for no padding
   * @throws TemplateException naming the field at fault, such as {@code records[0].v}
   */
  public static PayloadTemplate compile(List<? extends Map<String, ?>> records, SenmlFormat format, int size) {
    if (records == null || records.isEmpty()) throw new TemplateException("records", "a SenML pack needs at least one record");
    if (size < 0) throw new TemplateException("size", "cannot be negative, not " + size);
    RecordTemplate[] compiled = new RecordTemplate[records.size()];
    Changing changing = new Changing();
    boolean carriesTime = false;
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = compileRecord(i, records.get(i), changing);
      for (String label : List.of("t", "bt")) {
        carriesTime |= records.get(i).get(label) instanceof String text && text.strip().equals("${time}");
      }
    }
    PayloadTemplate template = new PayloadTemplate(format, size, compiled, carriesTime,
        changing.numbers.toArray(OpenNumber[]::new), changing.text, senderAround(records.get(0).get("bn")));
    template.checkByRendering();
    return template;
  }

  public SenmlFormat format() {
    return format;
  }

  /**
   * True when a record's {@code t} or {@code bt} is {@code ${time}}: a subscriber can then take the
   * send time from the message, and end-to-end latency can be measured.
   */
  public boolean carriesTime() {
    return carriesTime;
  }

  /**
   * True when the first record's {@code bn} is {@code ${thing}} between fixed text (the default's
   * {@code ${thing}:}): a subscriber can then tell which thing sent a message ({@link #senderOf}).
   */
  public boolean namesSender() {
    return senderAround != null;
  }

  /**
   * The thing that a message's first-record {@code bn} names, as this template renders it; empty
   * when the template does not name the sender ({@link #namesSender()}) or {@code baseName} is not
   * of its form.
   */
  public Optional<String> senderOf(String baseName) {
    if (senderAround == null || baseName == null) return Optional.empty();
    String before = senderAround[0], after = senderAround[1];
    if (baseName.length() <= before.length() + after.length() || !baseName.startsWith(before) || !baseName.endsWith(after)) {
      return Optional.empty();
    }
    return Optional.of(baseName.substring(before.length(), baseName.length() - after.length()));
  }

  /** The fixed text before and after the one {@code ${thing}} of a {@code bn}, or null when it is not of that form. */
  private static String[] senderAround(Object baseName) {
    if (!(baseName instanceof String text)) return null;
    Matcher thing = Pattern.compile("\\$\\{\\s*thing\\s*}").matcher(text);
    if (!thing.find()) return null;
    String before = text.substring(0, thing.start()), after = text.substring(thing.end());
    if (before.contains("${") || after.contains("${")) return null; // other placeholders: not fixed text
    return new String[] {before, after};
  }

  /** Bytes every message is padded to; 0 when not padded. */
  public int size() {
    return size;
  }

  /** {@link #render(String, String, long, Instant, RandomGenerator)} for a device without a channel name. */
  public byte[] render(String thingName, long counter, Instant now, RandomGenerator random) {
    return render(thingName, "", counter, now, random);
  }

  /**
   * One message, encoded in the template's format and padded to its size.
   *
   * @throws SenmlException when the values make invalid SenML, e.g. a thing name with a space in a {@code bn}
   */
  public byte[] render(String thingName, String channelName, long counter, Instant now, RandomGenerator random) {
    Message m = new Message(thingName, channelName, counter, now.toEpochMilli(), random);
    byte[] encoded = format.encode(pack(m));
    return size > 0 ? pad(encoded) : encoded;
  }

  private SenmlPack pack(Message m) {
    List<SenmlRecord> pack = new ArrayList<>(records.length + 1);
    for (RecordTemplate r : records) pack.add(r.render(m));
    if (size > 0) pack.add(EMPTY_PAD);
    return new SenmlPack(pack);
  }

  /**
   * This template for one thing on one channel, for a sender that renders many messages for it:
   * the same bytes as {@link #render}, at a fraction of the cost.
   */
  public Bound bind(String thingName, String channelName) {
    return new Bound(thingName, channelName);
  }

  /**
   * A template with its thing and channel filled in. Where only numbers change per message (the
   * default template, and any without ${counter}, ${time} or ${random} in a text field), the pack is
   * encoded and checked once ({@link SenmlStencil}) and each message writes only its numbers:
   * building, checking and encoding every record took a sixth of a QoS 0 run's CPU.
   */
  public final class Bound {
    private final String thing;
    private final String channel;
    /** Null when text changes per message, or when this thing's name makes invalid SenML: then every render says so. */
    private final SenmlStencil stencil;

    private Bound(String thing, String channel) {
      this.thing = thing;
      this.channel = channel;
      this.stencil = textChanges ? null : stencil(thing, channel);
    }

    private SenmlStencil stencil(String thing, String channel) {
      try {
        SenmlPack sample = pack(new Message(thing, channel, 1, System.currentTimeMillis(), new SplittableRandom(1)));
        return SenmlStencil.of(format, sample, Arrays.stream(openNumbers).map(OpenNumber::slot).toList());
      } catch (SenmlException invalid) {
        return null;
      }
    }

    /**
     * One message, as {@link PayloadTemplate#render(String, String, long, Instant, RandomGenerator)}
     * renders it for this thing and channel.
     *
     * @param epochMillis the time, in milliseconds since the epoch, that ${time} gives
     */
    public byte[] render(long counter, long epochMillis, RandomGenerator random) {
      if (stencil == null) return PayloadTemplate.this.render(thing, channel, counter, Instant.ofEpochMilli(epochMillis), random);
      Message m = new Message(thing, channel, counter, epochMillis, random);
      double[] numbers = new double[openNumbers.length];
      for (int i = 0; i < numbers.length; i++) numbers[i] = openNumbers[i].source().value(m);
      byte[] encoded = stencil.fill(numbers);
      return size > 0 ? pad(encoded) : encoded;
    }
  }

  /** Fills the pad record's empty {@code vs}, which the encoders write last, up to {@link #size}. */
  private byte[] pad(byte[] encoded) {
    return switch (format) {
      case JSON -> padJson(encoded);
      case CBOR -> padCbor(encoded);
    };
  }

  /** JSON ends {@code "vs":""}]}: the padding goes between the quotes, byte for byte. */
  private byte[] padJson(byte[] encoded) {
    int fill = size - encoded.length;
    if (fill <= 0) return encoded;
    int at = encoded.length - 3;
    byte[] out = new byte[size];
    System.arraycopy(encoded, 0, out, 0, at);
    Arrays.fill(out, at, at + fill, PAD_BYTE);
    System.arraycopy(encoded, at, out, at + fill, 3);
    return out;
  }

  /**
   * CBOR ends with 0x60, the empty text string: it is replaced by a text of the right length, whose
   * head is 1, 2, 3 or 5 bytes. Where no minimal head fits exactly (a 25-byte gap: 24 bytes need a
   * 2-byte head), a 2-byte head holds a length under 24: well-formed CBOR (RFC 8949 section 3),
   * though not the preferred form, and every decoder reads it.
   */
  private byte[] padCbor(byte[] encoded) {
    int room = size - (encoded.length - 1); // bytes for the text's head and content
    int head;
    if (room < 1) return encoded;
    else if (room - 1 <= 23) head = 1;
    else if (room - 2 <= 0xff) head = 2;
    else if (room - 3 <= 0xffff) head = 3;
    else head = 5;
    int fill = room - head;
    byte[] out = new byte[size];
    int at = encoded.length - 1;
    System.arraycopy(encoded, 0, out, 0, at);
    switch (head) {
      case 1 -> out[at] = (byte) (0x60 | fill);
      case 2 -> {
        out[at] = 0x78;
        out[at + 1] = (byte) fill;
      }
      case 3 -> {
        out[at] = 0x79;
        out[at + 1] = (byte) (fill >>> 8);
        out[at + 2] = (byte) fill;
      }
      default -> {
        out[at] = 0x7a;
        for (int i = 0; i < 4; i++) out[at + 1 + i] = (byte) (fill >>> (24 - 8 * i));
      }
    }
    Arrays.fill(out, at + head, size, PAD_BYTE);
    return out;
  }

  /** Renders with sample values and decodes the result: the codec's rules become load-time errors. */
  private void checkByRendering() {
    byte[] sample;
    try {
      sample = render(SAMPLE_ID, SAMPLE_ID, 1_000_000, Instant.now(), new SplittableRandom(1));
      format.decode(sample);
    } catch (SenmlException e) {
      Matcher m = Pattern.compile("record (\\d+): (.*)").matcher(e.getMessage());
      if (m.matches()) throw new TemplateException("records[" + m.group(1) + "]", "not valid SenML: " + m.group(2));
      throw new TemplateException("records", "not valid SenML: " + e.getMessage());
    }
    if (size > 0 && sample.length > size) {
      throw new TemplateException("size", "a message is " + sample.length + " bytes with the pad record, more than "
          + size + "; give at least " + (sample.length + 16) + " or 0 for no padding");
    }
  }

  // ---- compiling ----

  private enum Kind { TEXT, NUMBER, BOOLEAN, VERSION, DATA }

  private static final Map<String, Kind> LABELS = orderedMap(
      "bn", Kind.TEXT, "bt", Kind.NUMBER, "bu", Kind.TEXT, "bv", Kind.NUMBER, "bs", Kind.NUMBER, "bver", Kind.VERSION,
      "n", Kind.TEXT, "u", Kind.TEXT, "v", Kind.NUMBER, "vs", Kind.TEXT, "vb", Kind.BOOLEAN, "vd", Kind.DATA,
      "s", Kind.NUMBER, "t", Kind.NUMBER, "ut", Kind.NUMBER);

  /** What changes per message, gathered while compiling. */
  private static final class Changing {
    final List<OpenNumber> numbers = new ArrayList<>();
    boolean text;
  }

  private static RecordTemplate compileRecord(int index, Map<String, ?> fields, Changing changing) {
    String path = "records[" + index + "]";
    if (fields == null || fields.isEmpty()) throw new TemplateException(path, "a record needs at least one field");
    List<FieldTemplate> compiled = new ArrayList<>();
    String valueLabel = null;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      String label = e.getKey();
      String at = path + "." + label;
      Kind kind = LABELS.get(label);
      if (kind == null) {
        throw new TemplateException(at, "not a SenML field (known: " + String.join(", ", LABELS.keySet()) + ")");
      }
      if (label.equals("v") || label.equals("vs") || label.equals("vb") || label.equals("vd")) {
        if (valueLabel != null) throw new TemplateException(at, "a record has one value, and this one has " + valueLabel + " already");
        valueLabel = label;
      }
      compiled.add(compileField(at, new SenmlStencil.Slot(index, label), kind, e.getValue(), changing));
    }
    return new RecordTemplate(compiled.toArray(FieldTemplate[]::new));
  }

  private static FieldTemplate compileField(String at, SenmlStencil.Slot slot, Kind kind, Object value, Changing changing) {
    if (value == null) throw new TemplateException(at, "has no value");
    String label = slot.label();
    return switch (kind) {
      case TEXT -> {
        if (value instanceof Map || value instanceof List) throw new TemplateException(at, "must be text, not a " + (value instanceof Map ? "mapping" : "list"));
        Part[] parts = parseText(at, String.valueOf(value));
        for (Part p : parts) changing.text |= !(p instanceof Part.Literal || p instanceof Part.Thing || p instanceof Part.Channel);
        yield switch (label) {
          case "bn" -> (b, m) -> b.baseName(text(parts, m));
          case "bu" -> (b, m) -> b.baseUnit(text(parts, m));
          case "n" -> (b, m) -> b.name(text(parts, m));
          case "u" -> (b, m) -> b.unit(text(parts, m));
          default -> (b, m) -> b.value(text(parts, m));
        };
      }
      case NUMBER -> {
        NumberSource source = numberSource(at, value);
        if (!(source instanceof Fixed)) changing.numbers.add(new OpenNumber(slot, source));
        yield switch (label) {
          case "bt" -> (b, m) -> b.baseTime(source.value(m));
          case "bv" -> (b, m) -> b.baseValue(source.value(m));
          case "bs" -> (b, m) -> b.baseSum(source.value(m));
          case "v" -> (b, m) -> b.value(source.value(m));
          case "s" -> (b, m) -> b.sum(source.value(m));
          case "t" -> (b, m) -> b.time(source.value(m));
          default -> (b, m) -> b.updateTime(source.value(m));
        };
      }
      case BOOLEAN -> {
        boolean bool;
        if (value instanceof Boolean b) bool = b;
        else if ("true".equals(value) || "false".equals(value)) bool = Boolean.parseBoolean((String) value);
        else throw new TemplateException(at, "must be true or false, not " + value);
        yield (b, m) -> b.value(bool);
      }
      case VERSION -> {
        if (!(value instanceof Integer version)) throw new TemplateException(at, "must be a whole number, not " + value);
        yield (b, m) -> b.baseVersion(version);
      }
      case DATA -> {
        byte[] data;
        try {
          data = Base64.getUrlDecoder().decode(String.valueOf(value));
        } catch (IllegalArgumentException e) {
          throw new TemplateException(at, "must be base64url data, not " + value);
        }
        yield (b, m) -> b.value(data);
      }
    };
  }

  private static NumberSource numberSource(String at, Object value) {
    if (value instanceof Number n) return new Fixed(n.doubleValue());
    String text = String.valueOf(value).trim();
    Part[] parts = parseText(at, text);
    if (parts.length == 1) {
      switch (parts[0]) {
        case Part.Counter c -> {
          return m -> m.counter;
        }
        case Part.Time t -> {
          return m -> m.epochMillis / 1000.0;
        }
        case Part.Random r -> {
          return r::draw;
        }
        case Part.Literal l -> {
          try {
            return new Fixed(Double.parseDouble(l.text()));
          } catch (NumberFormatException e) {
            // refused below
          }
        }
        default -> {}
      }
    }
    throw new TemplateException(at, "must be a number or one of ${counter}, ${time}, ${random(a, b)}, not " + text);
  }

  /** Splits text into literal runs and placeholders. */
  private static Part[] parseText(String at, String text) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        parts.add(new Part.Literal(text.substring(i)));
        break;
      }
      if (open > i) parts.add(new Part.Literal(text.substring(i, open)));
      int close = text.indexOf('}', open);
      if (close < 0) throw new TemplateException(at, "'${' without '}' in " + text);
      parts.add(placeholder(at, text.substring(open + 2, close).trim()));
      i = close + 1;
    }
    return parts.toArray(Part[]::new);
  }

  private static Part placeholder(String at, String expression) {
    switch (expression) {
      case "thing" -> {
        return new Part.Thing();
      }
      case "channel" -> {
        return new Part.Channel();
      }
      case "counter" -> {
        return new Part.Counter();
      }
      case "time" -> {
        return new Part.Time();
      }
      default -> {}
    }
    Matcher m = RANDOM.matcher(expression);
    if (m.matches()) {
      double min = Double.parseDouble(m.group(1));
      double max = Double.parseDouble(m.group(3));
      if (!(min < max)) throw new TemplateException(at, "${" + expression + "}: the first bound must be below the second");
      int decimals = Math.max(m.group(2) == null ? 0 : m.group(2).length(), m.group(4) == null ? 0 : m.group(4).length());
      return new Part.Random(min, max, decimals, Math.pow(10, decimals));
    }
    throw new TemplateException(at, "unknown placeholder ${" + expression + "} (known: " + PLACEHOLDERS + ")");
  }

  private static String text(Part[] parts, Message m) {
    if (parts.length == 1 && parts[0] instanceof Part.Literal l) return l.text();
    StringBuilder out = new StringBuilder(32);
    for (Part p : parts) p.append(out, m);
    return out.toString();
  }

  private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      @SuppressWarnings("unchecked")
      V value = (V) keysAndValues[i + 1];
      map.put((String) keysAndValues[i], value);
    }
    return Collections.unmodifiableMap(map);
  }

  // ---- rendering ----

  /** What changes per message. */
  private record Message(String thing, String channel, long counter, long epochMillis, RandomGenerator random) {}

  private interface FieldTemplate {
    void apply(SenmlRecord.Builder record, Message m);
  }

  private interface NumberSource {
    double value(Message m);
  }

  /** A number written in the template: the same in every message. */
  private record Fixed(double number) implements NumberSource {
    public double value(Message m) {
      return number;
    }
  }

  /** A number field that changes per message: a stencil's slot, and where its value comes from. */
  private record OpenNumber(SenmlStencil.Slot slot, NumberSource source) {}

  private record RecordTemplate(FieldTemplate[] fields) {
    SenmlRecord render(Message m) {
      SenmlRecord.Builder b = SenmlRecord.builder();
      for (FieldTemplate f : fields) f.apply(b, m);
      return b.build();
    }
  }

  private sealed interface Part {
    void append(StringBuilder out, Message m);

    record Literal(String text) implements Part {
      public void append(StringBuilder out, Message m) {
        out.append(text);
      }
    }

    record Thing() implements Part {
      public void append(StringBuilder out, Message m) {
        out.append(m.thing);
      }
    }

    record Channel() implements Part {
      public void append(StringBuilder out, Message m) {
        out.append(m.channel);
      }
    }

    record Counter() implements Part {
      public void append(StringBuilder out, Message m) {
        out.append(m.counter);
      }
    }

    /** Epoch seconds with three decimals, written out without floating point. */
    record Time() implements Part {
      public void append(StringBuilder out, Message m) {
        long millis = m.epochMillis;
        out.append(millis / 1000).append('.');
        long fraction = millis % 1000;
        if (fraction < 100) out.append('0');
        if (fraction < 10) out.append('0');
        out.append(fraction);
      }
    }

    record Random(double min, double max, int decimals, double scale) implements Part {
      double draw(Message m) {
        double x = min + m.random.nextDouble() * (max - min);
        return Math.round(x * scale) / scale;
      }

      public void append(StringBuilder out, Message m) {
        double x = draw(m);
        if (decimals == 0) out.append((long) x);
        else out.append(BigDecimal.valueOf(x).setScale(decimals, RoundingMode.HALF_UP).toPlainString());
      }
    }
  }

  /** A template that cannot give valid SenML; {@link #field()} is relative to {@code payload}. */
  public static final class TemplateException extends IllegalArgumentException {
    private final String field;

    public TemplateException(String field, String problem) {
      super(problem);
      this.field = field;
    }

    /** Such as {@code records[0].v}. */
    public String field() {
      return field;
    }
  }
}
