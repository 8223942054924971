package io.thingstorm.client;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a platform expects beyond TLS: its topic and URL layout and which credentials go where.
 *
 * <ul>
 *   <li>{@link #mainflux()}: topic {@code channels/<channel>/messages[/<subtopic>]}, HTTP path
 *       {@code /channels/<channel>/messages[/<subtopic>]}; MQTT user name = thing id, password =
 *       thing key; no HTTP Authorization header by default (mTLS says who the thing is).
 *   <li>{@link #cybus()}: the certificate's CN is the user name, no password, TLS 1.2 only; the
 *       channel is the topic (Connectware has no channels), so it may hold '/' ({@code factory/line1}),
 *       and a subscription's may hold wildcards ({@code #}, as in Cybus's guide).
 *   <li>{@link #generic(String, String)}: your own templates with {@code {channel}},
 *       {@code {thing_id}} and {@code {subtopic}}.
 * </ul>
 */
public final class PlatformProfile {
  /** What goes into the MQTT CONNECT user name and password fields. */
  public enum MqttCredentials {
    /** user name = thing id, password = thing key (Mainflux). */
    THING_ID_AND_KEY,
    /** user name = the certificate's CN, no password (Cybus Connectware). */
    COMMON_NAME,
    /** neither: the broker takes the identity from the certificate. */
    NONE
  }

  private final String name;
  private final String topicTemplate;
  private final String pathTemplate;
  private final MqttCredentials mqttCredentials;
  private final AuthorizationFormat authorization;
  private final boolean tls12Only;
  private final boolean channelIsTopic;

  private PlatformProfile(String name, String topicTemplate, String pathTemplate, MqttCredentials mqttCredentials,
      AuthorizationFormat authorization, boolean tls12Only, boolean channelIsTopic) {
    this.name = name;
    this.topicTemplate = Objects.requireNonNull(topicTemplate);
    this.pathTemplate = Objects.requireNonNull(pathTemplate);
    this.mqttCredentials = mqttCredentials;
    this.authorization = authorization;
    this.tls12Only = tls12Only;
    this.channelIsTopic = channelIsTopic;
  }

  /** Mainflux's topic and path layout, which the generic profile takes unless given its own. */
  public static final String CHANNELS_TOPIC = "channels/{channel}/messages/{subtopic}";
  public static final String CHANNELS_PATH = "/channels/{channel}/messages/{subtopic}";

  public static PlatformProfile mainflux() {
    return new PlatformProfile("mainflux", CHANNELS_TOPIC, CHANNELS_PATH, MqttCredentials.THING_ID_AND_KEY, AuthorizationFormat.NONE, false, false);
  }

  public static PlatformProfile cybus() {
    return new PlatformProfile("cybus", "{channel}/{subtopic}", "/{channel}/{subtopic}",
        MqttCredentials.COMMON_NAME, AuthorizationFormat.NONE, true, true);
  }

  /** The placeholders of a topic or path template. */
  public static final List<String> PLACEHOLDERS = List.of("{channel}", "{thing_id}", "{subtopic}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

  /**
   * Templates with {channel}, {thing_id} and {subtopic}; a "/{subtopic}" part vanishes when there is none.
   *
   * @throws IllegalArgumentException for a placeholder it does not know, a wildcard in the topic, or a
   *     path that does not start with '/'
   */
  public static PlatformProfile generic(String topicTemplate, String pathTemplate) {
    return new PlatformProfile("generic", requireTopicTemplate(topicTemplate), requirePathTemplate(pathTemplate),
        MqttCredentials.THING_ID_AND_KEY, AuthorizationFormat.NONE, false, false);
  }

  /** The template, if it is one a topic can be made from; else IllegalArgumentException saying why. */
  public static String requireTopicTemplate(String template) {
    requireKnownPlaceholders("topic", template);
    if (template.contains("#") || template.contains("+")) {
      throw new IllegalArgumentException("a topic to publish to holds no wildcard '#' or '+': '" + template + "'");
    }
    return template;
  }

  /** The template, if it is one an HTTP path can be made from; else IllegalArgumentException saying why. */
  public static String requirePathTemplate(String template) {
    requireKnownPlaceholders("path", template);
    if (!template.startsWith("/")) throw new IllegalArgumentException("a path starts with '/', not '" + template + "'");
    for (char c : template.toCharArray()) {
      if (c == '?' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("a path holds no query, fragment or space: '" + template + "'");
      }
    }
    return template;
  }

  private static void requireKnownPlaceholders(String what, String template) {
    if (template == null || template.isBlank()) throw new IllegalArgumentException("the " + what + " template is empty");
    Matcher placeholder = PLACEHOLDER.matcher(template);
    while (placeholder.find()) {
      if (!PLACEHOLDERS.contains(placeholder.group())) {
        throw new IllegalArgumentException("unknown placeholder " + placeholder.group() + " in the " + what + " template '"
            + template + "' (known: " + String.join(", ", PLACEHOLDERS) + ")");
      }
    }
  }

  /** mainflux, cybus or generic (generic with Mainflux's templates). */
  public static PlatformProfile parse(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "mainflux", "magistrala" -> mainflux();
      case "cybus", "connectware" -> cybus();
      case "generic" -> generic(CHANNELS_TOPIC, CHANNELS_PATH);
      default -> throw new IllegalArgumentException("unknown profile '" + name + "' (known: mainflux, cybus, generic)");
    };
  }

  public PlatformProfile withAuthorization(AuthorizationFormat format) {
    return new PlatformProfile(name, topicTemplate, pathTemplate, mqttCredentials, Objects.requireNonNull(format), tls12Only, channelIsTopic);
  }

  public PlatformProfile withMqttCredentials(MqttCredentials credentials) {
    return new PlatformProfile(name, topicTemplate, pathTemplate, Objects.requireNonNull(credentials), authorization, tls12Only, channelIsTopic);
  }

  /**
   * This profile for a subscriber that watches every thing's messages on a channel: a topic layout
   * that names the thing ({@code devices/{thing_id}/...}) takes '+' in a filter's thing level.
   */
  public PlatformProfile withThingWildcard() {
    return new PlatformProfile(name, topicTemplate.replace("{thing_id}", "+"), pathTemplate, mqttCredentials, authorization,
        tls12Only, channelIsTopic);
  }

  public String name() {
    return name;
  }

  /** Whether topics differ by channel; a layout without {channel} puts every channel's messages under one pattern. */
  public boolean topicNamesChannel() {
    return topicTemplate.contains("{channel}");
  }

  public AuthorizationFormat authorization() {
    return authorization;
  }

  public MqttCredentials mqttCredentials() {
    return mqttCredentials;
  }

  /** Whether the platform speaks TLS 1.2 only (Cybus Connectware). */
  public boolean tls12Only() {
    return tls12Only;
  }

  /** The MQTT topic of a channel and optional subtopic. */
  public String topic(String channel, String thingId, String subtopic) {
    return expand(topicTemplate, channel, thingId, subtopic, false, channelIsTopic);
  }

  /** The MQTT topic filter to subscribe to; the subtopic may hold the wildcards + and #. */
  public String topicFilter(String channel, String thingId, String subtopic) {
    return expand(topicTemplate, channel, thingId, subtopic, true, channelIsTopic);
  }

  /** The HTTP and WSS path below the base URL, starting with "/". */
  public String path(String channel, String thingId, String subtopic) {
    return expand(pathTemplate, channel, thingId, subtopic, false, false);
  }

  public Optional<String> mqttUserName(ThingIdentity identity) {
    return switch (mqttCredentials) {
      case THING_ID_AND_KEY -> Optional.of(identity.thingId());
      case COMMON_NAME -> Optional.of(identity.commonName());
      case NONE -> Optional.empty();
    };
  }

  public Optional<char[]> mqttPassword(ThingIdentity identity) {
    return mqttCredentials == MqttCredentials.THING_ID_AND_KEY
        ? Optional.of(identity.thingKey().toCharArray()) : Optional.empty();
  }

  /** The HTTP Authorization header value, or empty when it is left out. */
  public Optional<String> httpAuthorization(ThingIdentity identity) {
    return authorization == AuthorizationFormat.NONE ? Optional.empty() : Optional.of(authorization.render(identity.thingKey()));
  }

  /** The WSS {@code authorization} query value: the same format, the plain key when the header is left out. */
  public String wsAuthorization(ThingIdentity identity) {
    return authorization == AuthorizationFormat.NONE ? identity.thingKey() : authorization.render(identity.thingKey());
  }

  /** @param nested whether the channel is a topic of its own, which may hold '/' (and wildcards in a filter) */
  private static String expand(String template, String channel, String thingId, String subtopic, boolean wildcards,
      boolean nested) {
    if (channel == null || channel.isBlank()) throw new IllegalArgumentException("a channel is needed");
    if (nested) {
      if (!wildcards && (channel.contains("#") || channel.contains("+"))) {
        throw new IllegalArgumentException("a topic to publish to holds no wildcard: '" + channel + "'");
      }
      if (channel.startsWith("/") || channel.endsWith("/") || channel.contains("//")) {
        throw new IllegalArgumentException("a topic has no empty level: '" + channel + "'");
      }
    } else if (channel.contains("/") || channel.contains("#") || channel.contains("+")) {
      throw new IllegalArgumentException("a channel id holds no '/', '#' or '+': '" + channel + "'");
    }
    String text = template;
    boolean none = subtopic == null || subtopic.isBlank();
    if (!none && !wildcards && (subtopic.contains("#") || subtopic.contains("+"))) {
      throw new IllegalArgumentException("a subtopic to publish to holds no wildcard: '" + subtopic + "'");
    }
    if (none) text = text.replace("/{subtopic}", "").replace("{subtopic}", "");
    else text = text.replace("{subtopic}", subtopic);
    return text.replace("{channel}", channel).replace("{thing_id}", thingId == null ? "" : thingId);
  }

  @Override
  public String toString() {
    return name + " (topic " + topicTemplate + ", authorization " + authorization.name().toLowerCase(Locale.ROOT) + ")";
  }
}
