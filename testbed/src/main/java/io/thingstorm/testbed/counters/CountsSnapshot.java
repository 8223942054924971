package io.thingstorm.testbed.counters;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** The testbed's counts at one moment: immutable, per protocol and per thing. */
public record CountsSnapshot(Instant since, Instant at, Map<Protocol, Counts> byProtocol, Map<String, Counts> byThing) {
  public CountsSnapshot {
    byProtocol = Collections.unmodifiableMap(new EnumMap<>(byProtocol));
    byThing = Collections.unmodifiableMap(new TreeMap<>(byThing));
  }

  /** All protocols together. */
  public Counts total() {
    Counts sum = Counts.ZERO;
    for (Counts c : byProtocol.values()) sum = sum.plus(c);
    return sum;
  }

  public Counts protocol(Protocol protocol) {
    return byProtocol.getOrDefault(protocol, Counts.ZERO);
  }

  public Counts thing(String thingId) {
    return byThing.getOrDefault(thingId, Counts.ZERO);
  }

  /** How many distinct things had at least one message accepted. */
  public long thingsHeardFrom() {
    return byThing.values().stream().filter(c -> c.messages() > 0).count();
  }

  /** A short table for a person: one row per protocol, refusals by kind, and a total. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-9s %10s %12s  %s%n", "protocol", "messages", "bytes", "refused"));
    for (Protocol p : Protocol.values()) {
      Counts c = protocol(p);
      out.append(String.format("%-9s %10d %12d  %s%n", p.label(), c.messages(), c.bytes(), refusals(c)));
    }
    Counts t = total();
    out.append(String.format("%-9s %10d %12d  %s%n", "total", t.messages(), t.bytes(), refusals(t)));
    out.append(String.format("%d things sent messages, over %s", thingsHeardFrom(), human(Duration.between(since, at))));
    return out.toString();
  }

  private static String refusals(Counts c) {
    if (c.refusals().isEmpty()) return "-";
    StringBuilder s = new StringBuilder();
    c.refusals().forEach((kind, n) -> s.append(s.isEmpty() ? "" : ", ").append(kind.label()).append(' ').append(n));
    return s.toString();
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
