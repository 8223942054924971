package io.thingstorm.client.senml;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A SenML pack: the records of one message, in order. Valid by construction: building one checks
 * the rules of RFC 8428 and throws {@link SenmlException} naming the first record that breaks one.
 */
public record SenmlPack(List<SenmlRecord> records) {
  /** The SenML version of RFC 8428, and the newest this library understands. */
  public static final int VERSION = 10;

  public SenmlPack {
    records = List.copyOf(records);
    PackRules.check(records);
  }

  public static SenmlPack of(SenmlRecord... records) {
    return new SenmlPack(List.of(records));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The pack's SenML version: its first record's {@code bver}, or 10. */
  public int version() {
    Integer bver = records.get(0).baseVersion();
    return bver == null ? VERSION : bver;
  }

  /**
   * The readings of this pack, resolved (RFC 8428 section 4.6) and in chronological order; records
   * that only set base fields yield none.
   *
   * @param now the time that relative times (below 2^28 seconds) count from
   */
  public List<ResolvedRecord> resolve(Instant now) {
    return Resolver.resolve(records, now);
  }

  /** {@link #resolve(Instant)} with the clock's current instant as now. */
  public List<ResolvedRecord> resolve(Clock clock) {
    return resolve(clock.instant());
  }

  /** Collects records, then checks them all at once in {@link #build()}. */
  public static final class Builder {
    private final List<SenmlRecord> records = new ArrayList<>();

    private Builder() {}

    public Builder add(SenmlRecord record) {
      records.add(record);
      return this;
    }

    public Builder add(SenmlRecord.Builder record) {
      return add(record.build());
    }

    public SenmlPack build() {
      return new SenmlPack(records);
    }
  }
}
