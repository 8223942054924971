package io.thingstorm.client.senml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolveTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.5Z");

  @Test
  void resolvingSection513GivesTheResolvedDataOfSection514() {
    List<ResolvedRecord> resolved = RfcExamples.json(RfcExamples.MULTIPLE_MEASUREMENTS).resolve(NOW);

    assertThat(resolved).isEqualTo(RfcExamples.json(RfcExamples.RESOLVED_DATA).resolve(NOW));
    assertThat(resolved.get(0)).isEqualTo(new ResolvedRecord(
        "urn:dev:ow:10e2073a01080063", "%RH", SenmlValue.of(20), null,
        Instant.parse("2011-10-31T13:24:24Z"), null));
    assertThat(resolved.get(9)).isEqualTo(new ResolvedRecord(
        "urn:dev:ow:10e2073a01080063", "%EL", SenmlValue.of(98), null,
        Instant.parse("2011-10-31T13:26:54Z"), null));
  }

  @Test
  void resolvedRecordsEncodeAsTheJsonOfSection514() {
    List<SenmlRecord> records = RfcExamples.json(RfcExamples.MULTIPLE_MEASUREMENTS).resolve(NOW).stream()
        .map(ResolvedRecord::toRecord)
        .toList();

    assertThat(new SenmlPack(records)).isEqualTo(RfcExamples.json(RfcExamples.RESOLVED_DATA));
  }

  @Test
  void appliesBaseNameBaseUnitAndBaseTimeAndSortsByTime() {
    List<ResolvedRecord> resolved = RfcExamples.json(RfcExamples.MULTIPLE_DATAPOINTS_TIMED).resolve(NOW);

    // "Tue Jun 8 18:01:16.001 UTC 2010 and at each second for the previous 5 seconds"
    assertThat(resolved).extracting(ResolvedRecord::time).containsExactly(
        Instant.parse("2010-06-08T18:01:11.001Z"),
        Instant.parse("2010-06-08T18:01:12.001Z"),
        Instant.parse("2010-06-08T18:01:13.001Z"),
        Instant.parse("2010-06-08T18:01:14.001Z"),
        Instant.parse("2010-06-08T18:01:15.001Z"),
        Instant.parse("2010-06-08T18:01:16.001Z"),
        Instant.parse("2010-06-08T18:01:16.001Z"));
    // Chronological order (section 4.6) moves the voltage, taken at the base time, after the
    // earlier currents; at equal times the pack's order stays.
    assertThat(resolved.get(5)).isEqualTo(new ResolvedRecord(
        "urn:dev:ow:10e2073a0108006:voltage", "V", SenmlValue.of(120.1), null,
        Instant.parse("2010-06-08T18:01:16.001Z"), null));
    assertThat(resolved.get(6)).isEqualTo(new ResolvedRecord(
        "urn:dev:ow:10e2073a0108006:current", "A", SenmlValue.of(1.7), null,
        Instant.parse("2010-06-08T18:01:16.001Z"), null));
  }

  @Test
  void timesBelow2To28CountFromNow() {
    SenmlPack pack = SenmlPack.of(
        SenmlRecord.builder().name("now").value(1).build(),
        SenmlRecord.builder().name("past").time(-5).value(1).build(),
        SenmlRecord.builder().name("soon").time(0.02).value(1).build(),
        SenmlRecord.builder().name("last-relative").time(0x1p28 - 1).value(1).build(),
        SenmlRecord.builder().name("first-absolute").time(0x1p28).value(1).build());

    assertThat(pack.resolve(NOW)).extracting(ResolvedRecord::name, ResolvedRecord::time).containsExactly(
        tuple("first-absolute", Instant.ofEpochSecond(1L << 28)),
        tuple("past", NOW.minusSeconds(5)),
        tuple("now", NOW),
        tuple("soon", NOW.plusMillis(20)),
        tuple("last-relative", NOW.plusSeconds((1L << 28) - 1)));
  }

  @Test
  void nowComesFromTheClockWhenGivenOne() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    List<ResolvedRecord> resolved = RfcExamples.json(RfcExamples.SINGLE_DATAPOINT).resolve(clock);

    assertThat(resolved).containsExactly(new ResolvedRecord(
        "urn:dev:ow:10e2073a01080063", "Cel", SenmlValue.of(23.1), null, NOW, null));
  }

  @Test
  void baseValueAddsToNumbersAndBaseSumToEverySum() {
    SenmlPack pack = SenmlJson.decode("""
        [{"bn":"meter:","bv":100,"bs":5,"n":"a","v":1},
         {"n":"b","s":2},
         {"n":"c","vs":"x","ut":60}]""".getBytes(UTF_8));

    assertThat(pack.resolve(NOW)).containsExactly(
        new ResolvedRecord("meter:a", null, SenmlValue.of(101), 5.0, NOW, null),
        new ResolvedRecord("meter:b", null, null, 7.0, NOW, null),
        new ResolvedRecord("meter:c", null, SenmlValue.of("x"), 5.0, NOW, Duration.ofMinutes(1)));
  }

  @Test
  void recordsOfBaseFieldsOnlyYieldNoReading() {
    List<ResolvedRecord> resolved = RfcExamples.json(RfcExamples.SETTING_AN_ACTUATOR).resolve(NOW);

    assertThat(resolved).extracting(ResolvedRecord::name, ResolvedRecord::unit).containsExactly(
        tuple("urn:dev:ow:10e2073a01080063:temp", "Cel"),
        tuple("urn:dev:ow:10e2073a01080063:heat", "/"),
        tuple("urn:dev:ow:10e2073a01080063:fan", "/"));
  }

  @Test
  void theLastRecordOfSection516KeepsTheBaseTimeOfTheFirst() {
    List<ResolvedRecord> resolved = RfcExamples.json(RfcExamples.COLLECTION_OF_RESOURCES).resolve(NOW);

    assertThat(resolved.get(3)).isEqualTo(new ResolvedRecord(
        "2001:db8::1/humidity", "%RH", SenmlValue.of(67), null, Instant.parse("2011-10-31T16:27:09Z"), null));
  }
}
