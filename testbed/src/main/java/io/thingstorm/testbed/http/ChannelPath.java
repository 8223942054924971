package io.thingstorm.testbed.http;

import io.thingstorm.testbed.rules.ChannelTopic;
import java.util.Optional;

/** {@code <prefix>/channels/<id>/messages[/<subtopic>]}, as Mainflux's HTTP and WebSocket adapters take it. */
record ChannelPath(String channelId, String subtopic) {
  static Optional<ChannelPath> parse(String path, String prefix) {
    if (path == null || !path.startsWith(prefix + "/channels/")) return Optional.empty();
    String[] levels = path.substring(prefix.length() + 1).split("/", -1);
    if (levels.length < 3 || !levels[0].equals("channels") || levels[1].isEmpty() || !levels[2].equals("messages")) {
      return Optional.empty();
    }
    StringBuilder subtopic = new StringBuilder();
    for (int i = 3; i < levels.length; i++) {
      String level = levels[i];
      if (level.isEmpty() && i == levels.length - 1) break; // a trailing slash
      if (level.isEmpty() || level.contains("+") || level.contains("#")) return Optional.empty();
      if (!subtopic.isEmpty()) subtopic.append('/');
      subtopic.append(level);
    }
    if (levels[1].contains("+") || levels[1].contains("#")) return Optional.empty();
    return Optional.of(new ChannelPath(levels[1], subtopic.toString()));
  }

  String topic() {
    return ChannelTopic.of(channelId, subtopic);
  }
}
