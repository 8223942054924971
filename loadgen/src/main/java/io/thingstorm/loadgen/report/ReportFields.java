package io.thingstorm.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One object of report.json, read strictly: a field of the wrong type is refused with its path
 * ({@code latency[0].count is text, not a whole number}), never read as 0 or nothing. Jackson's
 * {@code asLong()} and friends read {@code "x"} as 0, which turned a damaged report into a report of
 * an empty run, rendered over the good summary.
 */
final class ReportFields {
  private final JsonNode node;
  private final String path;

  private ReportFields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The document's root, which must be an object. */
  static ReportFields root(JsonNode root) {
    return new ReportFields(root, "");
  }

  /** A field of report.json that is missing or has the wrong type or shape; the message names it. */
  static final class Damaged extends RuntimeException {
    Damaged(String message) {
      super(message);
    }
  }

  boolean has(String name) {
    JsonNode n = node.get(name);
    return n != null && !n.isNull();
  }

  ReportFields object(String name) {
    return new ReportFields(expect(name, JsonNode::isObject, "an object"), pathOf(name));
  }

  /** A list of objects. */
  List<ReportFields> objects(String name) {
    JsonNode list = expect(name, JsonNode::isArray, "a list");
    List<ReportFields> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = pathOf(name) + "[" + i + "]";
      if (!list.get(i).isObject()) throw new Damaged(at + " is " + kind(list.get(i)) + ", not an object");
      out.add(new ReportFields(list.get(i), at));
    }
    return out;
  }

  /** A list of texts. */
  List<String> texts(String name) {
    JsonNode list = expect(name, JsonNode::isArray, "a list");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) throw new Damaged(pathOf(name) + "[" + i + "] is " + kind(list.get(i)) + ", not text");
      out.add(list.get(i).asText());
    }
    return out;
  }

  String text(String name) {
    return expect(name, JsonNode::isTextual, "text").asText();
  }

  String text(String name, String absent) {
    return has(name) ? text(name) : absent;
  }

  int integer(String name) {
    return expect(name, n -> n.isIntegralNumber() && n.canConvertToInt(), "a whole number").asInt();
  }

  long whole(String name) {
    return expect(name, n -> n.isIntegralNumber() && n.canConvertToLong(), "a whole number").asLong();
  }

  long whole(String name, long absent) {
    return has(name) ? whole(name) : absent;
  }

  /** A figure; null or absent is what was not measured. */
  double number(String name) {
    return has(name) ? expect(name, JsonNode::isNumber, "a number").asDouble() : Double.NaN;
  }

  double number(String name, double absent) {
    return has(name) ? number(name) : absent;
  }

  boolean bool(String name) {
    return expect(name, JsonNode::isBoolean, "true or false").asBoolean();
  }

  boolean bool(String name, boolean absent) {
    return has(name) ? bool(name) : absent;
  }

  /** An object of whole numbers by name (failures by class); absent is none. */
  Map<String, Long> wholes(String name) {
    Map<String, Long> out = new TreeMap<>();
    if (!has(name)) return out;
    ReportFields o = object(name);
    o.node.fieldNames().forEachRemaining(key -> out.put(key, o.whole(key)));
    return out;
  }

  /** A value that its own parser reads, e.g. a time or a metric's key: its refusal names the field. */
  <T> T parsed(String name, Function<String, T> parser) {
    String text = text(name);
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw new Damaged(pathOf(name) + " cannot be read (" + (e.getMessage() == null ? text : e.getMessage()) + ")");
    }
  }

  private JsonNode expect(String name, Predicate<JsonNode> ok, String what) {
    JsonNode n = node.get(name);
    if (n == null || n.isNull()) throw new Damaged(pathOf(name) + " is missing");
    if (!ok.test(n)) throw new Damaged(pathOf(name) + " is " + kind(n) + ", not " + what);
    return n;
  }

  private String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "text \"" + abbreviated(n.asText()) + "\"";
      case NUMBER -> "the number " + n.asText();
      case BOOLEAN -> n.asText();
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String abbreviated(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 40 || line.length() < text.length() ? line.substring(0, Math.min(40, line.length())) + "…" : line;
  }
}
