package io.thingstorm.testbed.counters;

import java.util.EnumMap;
import java.util.Map;

/** Messages, payload bytes and refusals by kind, at one moment. */
public record Counts(long messages, long bytes, Map<Refusal, Long> refusals) {
  public static final Counts ZERO = new Counts(0, 0, Map.of());

  public Counts {
    EnumMap<Refusal, Long> copy = new EnumMap<>(Refusal.class);
    refusals.forEach((k, v) -> {
      if (v != 0) copy.put(k, v);
    });
    refusals = java.util.Collections.unmodifiableMap(copy);
  }

  public long refusals(Refusal kind) {
    return refusals.getOrDefault(kind, 0L);
  }

  public long totalRefusals() {
    return refusals.values().stream().mapToLong(Long::longValue).sum();
  }

  Counts plus(Counts other) {
    EnumMap<Refusal, Long> sum = new EnumMap<>(Refusal.class);
    sum.putAll(refusals);
    other.refusals.forEach((k, v) -> sum.merge(k, v, Long::sum));
    return new Counts(messages + other.messages, bytes + other.bytes, sum);
  }
}
