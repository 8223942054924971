package io.thingstorm.loadgen.scenario;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a scenario will do, in words, before anything runs: the fleet, the target, each phase with
 * its events, rate and time, and the thresholds. {@code thingstorm run --check} prints it, so that a
 * scenario can be read back as the generator understood it without connecting a device.
 *
 * <pre>
 * quickstart: 200 devices (mqtt3 140, mqtt5 20, https 20, wss 20), 1 subscriber per channel; target: the embedded testbed
 *   messages    SenML JSON, as rendered; MQTT QoS 1, keep-alive 30.0 s
 *   connect     200 connections at 100/s, 2.0 s
 *   publish     3,000 messages at 200/s, 15.0 s
 *   ...
 * about 29.0 s in all; thresholds: p99 publish latency &lt; 500 ms; errors &lt; 1 %
 * </pre>
 */
public final class ScenarioPlan {
  private ScenarioPlan() {}

  /** The plan of {@code scenario} (a shard's, when it is one), line by line. */
  public static List<String> lines(Scenario scenario) {
    List<String> lines = new ArrayList<>();
    Fleet fleet = scenario.fleet();
    String shard = fleet.shard().isWhole() ? "" : " (shard " + fleet.shard() + ")";
    String subscribers = switch (fleet.subscribers()) {
      case 0 -> "no subscribers";
      case 1 -> "1 subscriber per channel";
      default -> fleet.subscribers() + " subscribers per channel";
    };
    lines.add(String.format(Locale.ROOT, "%s%s: %,d devices (%s), %s; target: %s",
        scenario.name(), shard, fleet.size(), mix(fleet), subscribers, target(scenario.target())));
    lines.add("  messages    " + messages(scenario));
    if (!fleet.sourceAddresses().isEmpty()) {
      lines.add("  from      " + fleet.sourceAddresses().stream().map(InetAddress::getHostAddress)
          .collect(Collectors.joining(", ")) + ", in turn");
    }
    for (Phase phase : scenario.phases()) lines.add(String.format(Locale.ROOT, "  %-11s %s", phase.kind(), phase(phase)));
    String thresholds = scenario.thresholds().isEmpty() ? "none"
        : scenario.thresholds().stream().map(t -> t.forShard(fleet.shard(), fleet.count()).toString())
            .collect(Collectors.joining("; "));
    lines.add(String.format(Locale.ROOT, "about %s in all; thresholds: %s", seconds(scenario.plannedLength()), thresholds));
    return lines;
  }

  /** What each message is, and how MQTT devices send it. */
  private static String messages(Scenario scenario) {
    Payload payload = scenario.payload();
    MqttOptions mqtt = scenario.fleet().mqtt();
    String size = payload.size() == 0 ? "as rendered" : String.format(Locale.ROOT, "padded to %,d bytes", payload.size());
    String mqttPart = !usesMqtt(scenario.fleet()) ? "" : String.format(Locale.ROOT, "; MQTT QoS %d%s, keep-alive %s",
        mqtt.qos(), mqtt.retained() ? ", retained" : "", mqtt.keepAlive().isZero() ? "off" : seconds(mqtt.keepAlive()));
    return "SenML " + payload.format().name() + ", " + size + mqttPart;
  }

  private static boolean usesMqtt(Fleet fleet) {
    return fleet.protocols().uses(Protocol.MQTT3) || fleet.protocols().uses(Protocol.MQTT5);
  }

  /** Devices by protocol, counted over this shard's own devices. */
  private static String mix(Fleet fleet) {
    Map<Protocol, Integer> devices = new EnumMap<>(Protocol.class);
    for (int i = 0; i < fleet.size(); i++) devices.merge(fleet.protocol(i), 1, Integer::sum);
    return devices.entrySet().stream()
        .map(e -> e.getKey().label() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String target(Target target) {
    if (target.embedded()) return "the embedded testbed";
    List<String> urls = new ArrayList<>();
    for (Protocol p : Protocol.values()) target.endpoint(p).map(Object::toString).filter(u -> !urls.contains(u)).ifPresent(urls::add);
    return String.join(", ", urls) + " (profile " + target.profile()
        + (target.topic() != null ? ", topic " + target.topic() : "") + (target.path() != null ? ", path " + target.path() : "") + ")";
  }

  private static String phase(Phase phase) {
    return switch (phase) {
      case Phase.Connect c -> events(c.schedule(), "connections");
      case Phase.WarmUp w -> events(w.schedule(), "messages") + ", not measured";
      case Phase.Publish p -> events(p.schedule(), "messages");
      case Phase.Hold h -> seconds(h.duration());
      case Phase.Churn c -> events(c.schedule(), "reconnects")
          + String.format(Locale.ROOT, " (%s %% of the fleet a second)", number(c.share() * 100));
      case Phase.Disconnect d -> events(d.schedule(), "devices");
    };
  }

  private static String events(RateSchedule s, String what) {
    String count = String.format(Locale.ROOT, "%,d %s", s.events(), what);
    if (s.isImmediate()) return count + " at once";
    double from = s.rateAt(0), to = s.rateAt(s.lengthNanos()); // this shard's
    String rate = !s.isRamped() ? number(from) + "/s"
        : number(from) + (to > from ? " rising" : " falling") + " to " + number(to) + "/s";
    return count + " at " + rate + ", " + seconds(s.length());
  }

  /** "2.0 s" under a minute, then "4 min 10 s", "8 h 10 min". */
  private static String seconds(Duration d) {
    if (d.toMillis() < 60_000) return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    long s = Math.round(d.toMillis() / 1000.0);
    if (s < 3600) return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    long min = Math.round(s / 60.0);
    return min % 60 == 0 ? min / 60 + " h" : min / 60 + " h " + min % 60 + " min";
  }

  private static String number(double x) {
    return x == Math.rint(x) ? String.format(Locale.ROOT, "%,d", (long) x) : String.format(Locale.ROOT, "%,.2f", x);
  }
}
