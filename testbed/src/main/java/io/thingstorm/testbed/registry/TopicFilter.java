package io.thingstorm.testbed.registry;

import java.util.List;

/** An MQTT topic filter ({@code +} one level, {@code #} the rest) as a permission. */
public record TopicFilter(String filter) {
  public TopicFilter {
    if (filter == null || filter.isEmpty()) throw new IllegalArgumentException("an empty topic filter");
    List<String> levels = List.of(filter.split("/", -1));
    for (int i = 0; i < levels.size(); i++) {
      String level = levels.get(i);
      if (level.equals("#") && i != levels.size() - 1) throw new IllegalArgumentException("'#' must be the last level of " + filter);
      if (level.length() > 1 && (level.contains("#") || level.contains("+"))) {
        throw new IllegalArgumentException("a wildcard must fill a whole level in " + filter);
      }
    }
  }

  /**
   * Whether everything {@code requested} (a topic to publish on, or a filter to subscribe to) lies
   * inside this permission: {@code a/#} covers {@code a/b} and {@code a/+}; {@code a/+} does not cover
   * {@code a/#}.
   */
  public boolean covers(String requested) {
    String[] granted = filter.split("/", -1);
    String[] asked = requested.split("/", -1);
    for (int i = 0; i < granted.length; i++) {
      if (granted[i].equals("#")) return true;
      if (i >= asked.length) return false;
      if (asked[i].equals("#")) return false;
      if (granted[i].equals("+")) continue;
      if (!granted[i].equals(asked[i])) return false;
    }
    return asked.length == granted.length;
  }

  @Override
  public String toString() {
    return filter;
  }
}
