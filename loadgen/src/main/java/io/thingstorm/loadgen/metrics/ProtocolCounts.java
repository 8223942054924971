package io.thingstorm.loadgen.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The counters of one protocol; failures by class. */
public record ProtocolCounts(
    String protocol,
    long sent,
    long sentBytes,
    long acknowledged,
    long received,
    long receivedBytes,
    long duplicates,
    long handshakesFull,
    long handshakesResumed,
    Map<String, Long> failures) {

  public ProtocolCounts {
    failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures)); // in class order, for every reader
  }

  public static ProtocolCounts none(String protocol) {
    return new ProtocolCounts(protocol, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());
  }

  public long failureCount() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  public long handshakes() {
    return handshakesFull + handshakesResumed;
  }

  /** Both added, under {@code protocol}: for totals over protocols and for merging shards. */
  public ProtocolCounts plus(ProtocolCounts o, String protocol) {
    Map<String, Long> f = new TreeMap<>(failures);
    o.failures.forEach((c, n) -> f.merge(c, n, Long::sum));
    return new ProtocolCounts(protocol, sent + o.sent, sentBytes + o.sentBytes, acknowledged + o.acknowledged,
        received + o.received, receivedBytes + o.receivedBytes, duplicates + o.duplicates,
        handshakesFull + o.handshakesFull, handshakesResumed + o.handshakesResumed, f);
  }

  ProtocolCounts minus(ProtocolCounts o) {
    Map<String, Long> f = new TreeMap<>(failures);
    o.failures.forEach((c, n) -> f.merge(c, -n, Long::sum));
    return new ProtocolCounts(protocol, sent - o.sent, sentBytes - o.sentBytes, acknowledged - o.acknowledged,
        received - o.received, receivedBytes - o.receivedBytes, duplicates - o.duplicates,
        handshakesFull - o.handshakesFull, handshakesResumed - o.handshakesResumed, f);
  }
}
