package io.thingstorm.client.senml;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A reading with everything spelled out (RFC 8428 section 4.6): the base name, unit, value and sum
 * applied, and its time absolute.
 *
 * @param name the full name: base name and name joined
 * @param unit the unit, or {@code null} when neither the record nor a base unit names one
 * @param value the value, base value added to a number; {@code null} for a record with a sum only
 * @param sum the sum, base sum added; {@code null} when neither is present
 * @param time when the reading was taken
 * @param updateTime longest time until the sensor sends a new reading, or {@code null}
 */
public record ResolvedRecord(
    String name, String unit, SenmlValue value, Double sum, Instant time, Duration updateTime) {

  public ResolvedRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(time, "time");
  }

  /** This reading as a record with no base fields, e.g. to encode a resolved pack. */
  public SenmlRecord toRecord() {
    return new SenmlRecord(
        null, null, null, null, null, null,
        name, unit, value, sum, Seconds.of(time), updateTime == null ? null : Seconds.of(updateTime));
  }
}
