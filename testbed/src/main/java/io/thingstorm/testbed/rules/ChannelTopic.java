package io.thingstorm.testbed.rules;

import java.util.Optional;

/** Mainflux's MQTT topics: {@code channels/<channel id>/messages[/<subtopic>...]}. */
public final class ChannelTopic {
  private ChannelTopic() {}

  /** The topic a message to this channel (and optional subtopic, {@code /}-separated) is published on. */
  public static String of(String channelId, String subtopic) {
    String topic = "channels/" + channelId + "/messages";
    return subtopic == null || subtopic.isEmpty() ? topic : topic + "/" + subtopic;
  }

  /**
   * The channel a topic or subscription filter lies in, or empty when it lies in none: the channel
   * level must be a concrete id (no wildcard), the third level {@code messages}; below it anything,
   * wildcards included.
   */
  public static Optional<String> channelOf(String topicOrFilter) {
    String[] levels = topicOrFilter.split("/", -1);
    if (levels.length < 3) return Optional.empty();
    if (!levels[0].equals("channels") || !levels[2].equals("messages")) return Optional.empty();
    String channel = levels[1];
    if (channel.isEmpty() || channel.equals("+") || channel.equals("#")) return Optional.empty();
    return Optional.of(channel);
  }
}
