package io.thingstorm.client.senml;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Applies base fields and "now" to a valid pack's records (RFC 8428 section 4.6). */
final class Resolver {
  /** RFC 8428 section 4.5.3: times below 2^28 seconds count from now, the others from the epoch. */
  static final double RELATIVE_BELOW = 0x1p28;

  private Resolver() {}

  static List<ResolvedRecord> resolve(List<SenmlRecord> records, Instant now) {
    String baseName = "";
    String baseUnit = null;
    double baseTime = 0;
    double baseValue = 0;
    Double baseSum = null;
    List<ResolvedRecord> resolved = new ArrayList<>(records.size());
    for (SenmlRecord r : records) {
      if (r.baseName() != null) baseName = r.baseName();
      if (r.baseUnit() != null) baseUnit = r.baseUnit();
      if (r.baseTime() != null) baseTime = r.baseTime();
      if (r.baseValue() != null) baseValue = r.baseValue();
      if (r.baseSum() != null) baseSum = r.baseSum();
      if (r.hasBaseFieldsOnly()) continue;

      SenmlValue value = r.value() instanceof SenmlValue.Number number
          ? SenmlValue.of(baseValue + number.value())
          : r.value();
      Double sum = r.sum() == null && baseSum == null
          ? null
          : (baseSum == null ? 0 : baseSum) + (r.sum() == null ? 0 : r.sum());
      double time = baseTime + (r.time() == null ? 0 : r.time());
      resolved.add(new ResolvedRecord(
          baseName + (r.name() == null ? "" : r.name()),
          r.unit() != null ? r.unit() : baseUnit,
          value,
          sum,
          time >= RELATIVE_BELOW ? Seconds.toInstant(time) : now.plus(Seconds.toDuration(time)),
          r.updateTime() == null ? null : Seconds.toDuration(r.updateTime())));
    }
    // "the Records need to be in chronological order"; the sort is stable, so ties keep pack order.
    resolved.sort(Comparator.comparing(ResolvedRecord::time));
    return resolved;
  }
}
