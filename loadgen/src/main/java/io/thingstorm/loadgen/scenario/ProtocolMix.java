package io.thingstorm.loadgen.scenario;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which protocol each device of a fleet speaks. The percentages are honoured exactly over the whole
 * fleet: each protocol gets its share rounded by largest remainder (200 devices at 70/10/10/10 are
 * 140/20/20/20), and the protocols are interleaved (smooth weighted round robin), so that any
 * stretch of the sequence, and so the first devices to connect, has about the same mix.
 *
 * <p>A shard takes the strided devices {@code i, i + N, ...}, which would pick every N-th entry of
 * a periodic sequence: one protocol only, when N is a multiple of its period. So the sequence is
 * laid out shard after shard instead ({@link #protocolOf(Shard, int)}): each shard gets a
 * contiguous stretch of it, with the fleet's mix to within a device or so, and the shards together
 * get exactly the whole fleet's counts.
 */
public final class ProtocolMix {
  private static final Protocol[] PROTOCOLS = Protocol.values();

  private final Map<Protocol, Integer> percent;
  private final Map<Protocol, Integer> devices;
  private final byte[] protocolByDevice;

  /**
   * @param percent whole percentages that sum to 100; protocols not named get none
   * @param fleetSize devices in the whole fleet (all shards)
   */
  public ProtocolMix(Map<Protocol, Integer> percent, int fleetSize) {
    EnumMap<Protocol, Integer> copy = new EnumMap<>(Protocol.class);
    int sum = 0;
    for (Map.Entry<Protocol, Integer> e : percent.entrySet()) {
      if (e.getValue() < 0) throw new IllegalArgumentException(e.getKey() + ": a share cannot be negative");
      if (e.getValue() > 0) copy.put(e.getKey(), e.getValue());
      sum += e.getValue();
    }
    if (sum != 100) throw new IllegalArgumentException("percentages sum to " + sum + ", not 100");
    if (fleetSize < 0) throw new IllegalArgumentException("fleet size cannot be negative");
    this.percent = Collections.unmodifiableMap(copy);
    int[] counts = allocate(copy, fleetSize);
    EnumMap<Protocol, Integer> byProtocol = new EnumMap<>(Protocol.class);
    for (Protocol p : PROTOCOLS) {
      if (counts[p.ordinal()] > 0) byProtocol.put(p, counts[p.ordinal()]);
    }
    this.devices = Collections.unmodifiableMap(byProtocol);
    this.protocolByDevice = interleave(counts, fleetSize);
  }

  /** All devices on one protocol. */
  public static ProtocolMix only(Protocol protocol, int fleetSize) {
    return new ProtocolMix(Map.of(protocol, 100), fleetSize);
  }

  /** Largest remainder: floors first, then the leftover devices to the largest fractions, ties in enum order. */
  private static int[] allocate(Map<Protocol, Integer> percent, int fleetSize) {
    int[] counts = new int[PROTOCOLS.length];
    long[] remainders = new long[PROTOCOLS.length];
    int given = 0;
    for (Protocol p : PROTOCOLS) {
      long exact = (long) fleetSize * percent.getOrDefault(p, 0); // in hundredths of a device
      counts[p.ordinal()] = (int) (exact / 100);
      remainders[p.ordinal()] = exact % 100;
      given += counts[p.ordinal()];
    }
    for (int left = fleetSize - given; left > 0; left--) {
      int best = -1;
      for (int i = 0; i < PROTOCOLS.length; i++) {
        if (remainders[i] > 0 && (best < 0 || remainders[i] > remainders[best])) best = i;
      }
      counts[best]++;
      remainders[best] = 0;
    }
    return counts;
  }

  /** Smooth weighted round robin: over {@code fleetSize} picks, protocol p is picked exactly counts[p] times. */
  private static byte[] interleave(int[] counts, int fleetSize) {
    byte[] order = new byte[fleetSize];
    long[] current = new long[counts.length];
    for (int device = 0; device < fleetSize; device++) {
      int best = -1;
      for (int i = 0; i < counts.length; i++) {
        current[i] += counts[i];
        if (counts[i] > 0 && (best < 0 || current[i] > current[best])) best = i;
      }
      current[best] -= fleetSize;
      order[device] = (byte) best;
    }
    return order;
  }

  /** The protocol of the device at {@code deviceIndex} of the whole fleet, run as one shard. */
  public Protocol protocolOf(int deviceIndex) {
    return protocolOf(Shard.WHOLE, deviceIndex);
  }

  /**
   * The protocol of {@code shard}'s {@code local}-th device: the {@code local}-th entry of the
   * shard's own stretch of the interleaved sequence, which starts after the devices of the shards
   * before it.
   */
  public Protocol protocolOf(Shard shard, int local) {
    int fleetSize = fleetSize();
    if (local < 0 || local >= shard.share(fleetSize)) {
      throw new IndexOutOfBoundsException("device " + local + " of shard " + shard + " of " + fleetSize);
    }
    int each = fleetSize / shard.count(), larger = fleetSize % shard.count(); // the first `larger` shards have one more
    int start = shard.index() * each + Math.min(shard.index(), larger);
    return PROTOCOLS[protocolByDevice[start + local]];
  }

  /** The percentages as written, without the protocols at 0. */
  public Map<Protocol, Integer> percent() {
    return percent;
  }

  /** Devices per protocol over the whole fleet, without protocols that got none. */
  public Map<Protocol, Integer> devices() {
    return devices;
  }

  public int fleetSize() {
    return protocolByDevice.length;
  }

  /** True when at least one device speaks {@code protocol}. */
  public boolean uses(Protocol protocol) {
    return percent.containsKey(protocol);
  }

  @Override
  public String toString() {
    return "ProtocolMix" + percent + " over " + fleetSize() + " devices " + devices;
  }
}
