package io.thingstorm.loadgen.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every field and list item of a YAML document, by path ({@code phases[1].publish.rate}),
 * found by walking the parser's tokens once. Jackson reports a location for syntax errors only;
 * checks made after binding look their field's line up here.
 */
final class YamlLocations {
  /** Where a node is, and how to show its value in a message. */
  record Node(int line, String shown) {}

  private final Map<String, Node> nodes = new HashMap<>();

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

  boolean has(String path) {
    return nodes.containsKey(path);
  }

  /** The line of {@code path}, or of its nearest parent that is in the file (for a missing field); 0 if none. */
  int lineOf(String path) {
    for (String p = path; ; p = parent(p)) {
      Node node = nodes.get(p);
      if (node != null) return node.line;
      if (p.isEmpty()) return 0;
    }
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
