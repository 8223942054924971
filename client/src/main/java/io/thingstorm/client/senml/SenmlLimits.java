package io.thingstorm.client.senml;

/**
 * How much a decoder accepts before it refuses a pack, so that a hostile or broken sender cannot
 * exhaust memory.
 *
 * @param maxBytes the largest encoded pack, in bytes
 * @param maxRecords the most records in one pack
 */
public record SenmlLimits(int maxBytes, int maxRecords) {
  /** 16 MiB and 100,000 records: far beyond any device's pack, well within a JVM's heap. */
  public static final SenmlLimits DEFAULT = new SenmlLimits(16 << 20, 100_000);

  public SenmlLimits {
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    if (maxRecords < 1) throw new IllegalArgumentException("maxRecords must be positive: " + maxRecords);
  }
}
