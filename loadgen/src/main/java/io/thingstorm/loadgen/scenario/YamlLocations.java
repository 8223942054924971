package io.thingstorm.loadgen.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The line of every field and list item of a YAML document, by path ({@code phases[1].publish.rate}),
 * found by walking the parser's tokens once. Jackson reports a location for syntax errors only;
 * checks made after binding look their field's line up here. A field set with {@code --set} is
 * found at that option instead of a line.
 */
final class YamlLocations {
  /**
   * Where a node is (a line of the file, or an option when {@code override} is not null), and how to
   * show its value; {@code unset} when an option emptied it: not there, but still where it went.
   */
  record Node(int line, String shown, ScenarioOverride override, boolean unset) {
    Node(int line, String shown) {
      this(line, shown, null, false);
    }
  }

  private final Map<String, Node> nodes = new HashMap<>();
  private final List<ScenarioOverride> applied = new ArrayList<>();

  private YamlLocations() {}

  /** @throws IOException with a location when the text is not valid YAML */
  static YamlLocations of(YAMLFactory factory, String yaml) throws IOException {
    YamlLocations locations = new YamlLocations();
    try (JsonParser parser = factory.createParser(yaml)) {
      if (parser.nextToken() != null) locations.walk(parser, "", parser.currentTokenLocation().getLineNr());
    }
    return locations;
  }

  private void walk(JsonParser parser, String path, int line) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        nodes.put(path, new Node(line, "a mapping"));
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          int keyLine = parser.currentTokenLocation().getLineNr();
          parser.nextToken();
          walk(parser, path.isEmpty() ? name : path + "." + name, keyLine);
        }
      }
      case START_ARRAY -> {
        nodes.put(path, new Node(line, "a list"));
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          walk(parser, path + "[" + index++ + "]", parser.currentTokenLocation().getLineNr());
        }
      }
      case VALUE_NULL -> nodes.put(path, new Node(line, "nothing"));
      default -> nodes.put(path, new Node(line, parser.getText().isEmpty() ? "nothing" : parser.getText()));
    }
  }

  /** {@code path} now holds {@code value} from {@code override}: what the file had there is gone. */
  void override(String path, JsonNode value, ScenarioOverride override) {
    applied.add(override);
    removeTree(path);
    if (value.isNull()) nodes.put(path, new Node(0, "nothing", override, true));
    else walk(path, value, override);
  }

  /** Item {@code index} of the list at {@code list} is gone: the items after it now answer to one index less. */
  void removeItem(String list, int index) {
    removeTree(list + "[" + index + "]");
    Map<String, Node> moved = new HashMap<>();
    for (var it = nodes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Node> entry = it.next();
      String p = entry.getKey();
      if (!p.startsWith(list + "[")) continue;
      int close = p.indexOf(']', list.length() + 1);
      String digits = close < 0 ? "" : p.substring(list.length() + 1, close);
      // A mapping key may hold '[' too ("phases[x: 1"): only this list's own items move.
      if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit)) continue;
      int at = Integer.parseInt(digits);
      if (at <= index) continue;
      it.remove();
      moved.put(list + "[" + (at - 1) + "]" + p.substring(close + 1), entry.getValue());
    }
    nodes.putAll(moved);
  }

  private void removeTree(String path) {
    nodes.keySet().removeIf(p -> p.equals(path) || isInside(p, path));
  }

  private static boolean isInside(String path, String parent) {
    return path.startsWith(parent + ".") || path.startsWith(parent + "[");
  }

  private void walk(String path, JsonNode value, ScenarioOverride override) {
    if (value.isObject()) {
      nodes.put(path, new Node(0, "a mapping", override, false));
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        walk(path + "." + field.getKey(), field.getValue(), override);
      }
    } else if (value.isArray()) {
      nodes.put(path, new Node(0, "a list", override, false));
      for (int i = 0; i < value.size(); i++) walk(path + "[" + i + "]", value.get(i), override);
    } else {
      nodes.put(path, new Node(0, value.isNull() || value.asText().isEmpty() ? "nothing" : value.asText(), override, false));
    }
  }

  /** Whether {@code path} is given, in the file or by an option (an option that emptied it does not count). */
  boolean has(String path) {
    Node node = nodes.get(path);
    return node != null && !node.unset;
  }

  /** The line of {@code path}, or of its nearest parent that is in the file (for a missing field); 0 if none. */
  int lineOf(String path) {
    Node node = nearest(path);
    return node == null ? 0 : node.line;
  }

  /** The option that set {@code path} or its nearest parent that is known; null when that is the file. */
  ScenarioOverride overrideOf(String path) {
    Node node = nearest(path);
    return node == null ? null : node.override;
  }

  /** The node of {@code path}, or of its nearest parent that is known; null if none. */
  private Node nearest(String path) {
    for (String p = path; ; p = parent(p)) {
      Node node = nodes.get(p);
      if (node != null || p.isEmpty()) return node;
    }
  }

  /**
   * The option to name for a problem with {@code path}: the one that set it or a parent, else the
   * last one that set something inside it (a sum of percentages, a phase emptied); null for the file.
   */
  ScenarioOverride blame(String path) {
    ScenarioOverride at = overrideOf(path);
    if (at != null || path.isEmpty()) return at;
    for (int i = applied.size() - 1; i >= 0; i--) {
      if (isInside(applied.get(i).path(), path)) return applied.get(i);
    }
    return null;
  }

  /** The value at {@code path} as written, "a mapping" or "a list"; null when absent. */
  String shown(String path) {
    Node node = nodes.get(path);
    return node == null ? null : node.shown;
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }
}
