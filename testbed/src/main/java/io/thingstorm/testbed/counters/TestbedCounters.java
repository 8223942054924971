package io.thingstorm.testbed.counters;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the testbed received and refused, per protocol and per thing. Thread-safe and cheap on the hot
 * path (striped adders); {@link #snapshot()} gives an immutable copy to compare a load run against.
 */
public final class TestbedCounters {
  private final Map<Protocol, Tally> byProtocol = new EnumMap<>(Protocol.class);
  private final ConcurrentHashMap<String, Tally> byThing = new ConcurrentHashMap<>();
  private final Instant started = Instant.now();

  public TestbedCounters() {
    for (Protocol p : Protocol.values()) byProtocol.put(p, new Tally());
  }

  /** A message accepted from a thing. */
  public void received(Protocol protocol, String thingId, long payloadBytes) {
    byProtocol.get(protocol).add(payloadBytes);
    if (thingId != null) byThing.computeIfAbsent(thingId, id -> new Tally()).add(payloadBytes);
  }

  /** Something refused; {@code thingId} is null when the refused party is not a known thing. */
  public void refused(Protocol protocol, String thingId, Refusal kind) {
    byProtocol.get(protocol).refuse(kind);
    if (thingId != null) byThing.computeIfAbsent(thingId, id -> new Tally()).refuse(kind);
  }

  public CountsSnapshot snapshot() {
    Map<Protocol, Counts> protocols = new EnumMap<>(Protocol.class);
    byProtocol.forEach((p, t) -> protocols.put(p, t.counts()));
    Map<String, Counts> things = new HashMap<>();
    byThing.forEach((id, t) -> things.put(id, t.counts()));
    return new CountsSnapshot(started, Instant.now(), protocols, things);
  }

  private static final class Tally {
    final LongAdder messages = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder[] refusals = new LongAdder[Refusal.values().length];

    Tally() {
      for (int i = 0; i < refusals.length; i++) refusals[i] = new LongAdder();
    }

    void add(long payloadBytes) {
      messages.increment();
      bytes.add(payloadBytes);
    }

    void refuse(Refusal kind) {
      refusals[kind.ordinal()].increment();
    }

    Counts counts() {
      Map<Refusal, Long> r = new EnumMap<>(Refusal.class);
      for (Refusal kind : Refusal.values()) r.put(kind, refusals[kind.ordinal()].sum());
      return new Counts(messages.sum(), bytes.sum(), r);
    }
  }
}
