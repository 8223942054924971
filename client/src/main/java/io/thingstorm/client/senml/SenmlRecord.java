package io.thingstorm.client.senml;

import java.util.StringJoiner;

/**
 * One SenML record as written on the wire: base fields, which apply to this record and the ones
 * after it, and regular fields. Every field is optional and {@code null} when absent. A record on
 * its own is plain data; {@link SenmlPack} checks the rules that need the records around it.
 *
 * @param baseName {@code bn}: prefix of the names of this and later records
 * @param baseTime {@code bt}: seconds added to the times of this and later records
 * @param baseUnit {@code bu}: unit of this and later records that name none
 * @param baseValue {@code bv}: added to the numeric values of this and later records
 * @param baseSum {@code bs}: added to the sums of this and later records
 * @param baseVersion {@code bver}: SenML version of the pack; 10 when absent
 * @param name {@code n}: appended to the base name
 * @param unit {@code u}: unit of the value, e.g. {@code Cel}
 * @param value {@code v}, {@code vs}, {@code vb} or {@code vd}
 * @param sum {@code s}: integrated sum of the values over time
 * @param time {@code t}: seconds since the Unix epoch, or relative to now when below 2^28
 * @param updateTime {@code ut}: longest time, in seconds, until the sensor sends a new reading
 */
public record SenmlRecord(
    String baseName,
    Double baseTime,
    String baseUnit,
    Double baseValue,
    Double baseSum,
    Integer baseVersion,
    String name,
    String unit,
    SenmlValue value,
    Double sum,
    Double time,
    Double updateTime) {

  public static Builder builder() {
    return new Builder();
  }

  /** True when the record sets base fields only: it describes the records after it, not a reading. */
  boolean hasBaseFieldsOnly() {
    return name == null && unit == null && value == null && sum == null && time == null && updateTime == null;
  }

  /** Only the fields present, by their SenML labels: {@code SenmlRecord{n=current, t=-5.0, v=1.2}}. */
  @Override
  public String toString() {
    StringJoiner fields = new StringJoiner(", ", "SenmlRecord{", "}");
    add(fields, "bn", baseName);
    add(fields, "bt", baseTime);
    add(fields, "bu", baseUnit);
    add(fields, "bv", baseValue);
    add(fields, "bs", baseSum);
    add(fields, "bver", baseVersion);
    add(fields, "n", name);
    add(fields, "u", unit);
    add(fields, "t", time);
    switch (value) {
      case SenmlValue.Number v -> add(fields, "v", v.value());
      case SenmlValue.Text v -> add(fields, "vs", v.value());
      case SenmlValue.Bool v -> add(fields, "vb", v.value());
      case SenmlValue.Data v -> add(fields, "vd", v);
      case null -> {}
    }
    add(fields, "s", sum);
    add(fields, "ut", updateTime);
    return fields.toString();
  }

  private static void add(StringJoiner fields, String label, Object value) {
    if (value != null) fields.add(label + "=" + value);
  }

  /** Builds a record field by field; a later value of any kind replaces an earlier one. */
  public static final class Builder {
    private String baseName;
    private Double baseTime;
    private String baseUnit;
    private Double baseValue;
    private Double baseSum;
    private Integer baseVersion;
    private String name;
    private String unit;
    private SenmlValue value;
    private Double sum;
    private Double time;
    private Double updateTime;

    private Builder() {}

    public Builder baseName(String baseName) {
      this.baseName = baseName;
      return this;
    }

    public Builder baseTime(double seconds) {
      this.baseTime = seconds;
      return this;
    }

    public Builder baseUnit(String baseUnit) {
      this.baseUnit = baseUnit;
      return this;
    }

    public Builder baseValue(double baseValue) {
      this.baseValue = baseValue;
      return this;
    }

    public Builder baseSum(double baseSum) {
      this.baseSum = baseSum;
      return this;
    }

    public Builder baseVersion(int baseVersion) {
      this.baseVersion = baseVersion;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder unit(String unit) {
      this.unit = unit;
      return this;
    }

    public Builder value(double value) {
      return value(SenmlValue.of(value));
    }

    public Builder value(String value) {
      return value(SenmlValue.of(value));
    }

    public Builder value(boolean value) {
      return value(SenmlValue.of(value));
    }

    public Builder value(byte[] value) {
      return value(SenmlValue.of(value));
    }

    public Builder value(SenmlValue value) {
      this.value = value;
      return this;
    }

    public Builder sum(double sum) {
      this.sum = sum;
      return this;
    }

    public Builder time(double seconds) {
      this.time = seconds;
      return this;
    }

    public Builder updateTime(double seconds) {
      this.updateTime = seconds;
      return this;
    }

    public SenmlRecord build() {
      return new SenmlRecord(
          baseName, baseTime, baseUnit, baseValue, baseSum, baseVersion,
          name, unit, value, sum, time, updateTime);
    }
  }
}
