package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Due times are the integral of the rate: pure arithmetic, no clock. */
class RateScheduleTest {
  @Test
  void constantRateSpacesEventsEvenly() {
    RateSchedule s = RateSchedule.constant(200, Duration.ofSeconds(20));
    assertThat(s.events()).isEqualTo(4000);
    assertThat(s.dueNanos(0)).isZero();
    assertThat(s.dueNanos(1)).isEqualTo(5_000_000);
    assertThat(s.dueNanos(3999)).isEqualTo(19_995_000_000L);
    assertThat(s.rateAt(7_000_000_000L)).isEqualTo(200.0);
    assertThat(eventsBefore(s, s.lengthNanos())).isEqualTo(4000);
  }

  @Test
  void eventsInAnyIntervalFromTheStartEqualTheIntegral() {
    RateSchedule s = RateSchedule.ramp(100, 300, Duration.ofSeconds(10));
    // integral over [0, 10 s) = (100 + 300) / 2 * 10 = 2000
    assertThat(s.events()).isEqualTo(2000);
    assertThat(eventsBefore(s, 10_000_000_000L)).isEqualTo(2000);
    // over [0, 5 s): 100 * 5 + 20 * 25 / 2 = 750; over [0, 2 s): 200 + 40 = 240
    assertThat(s.integral(5_000_000_000L)).isEqualTo(750.0);
    assertThat(eventsBefore(s, 5_000_000_000L)).isEqualTo(750);
    assertThat(eventsBefore(s, 2_000_000_000L)).isEqualTo(240);
    assertThat(s.rateAt(0)).isEqualTo(100.0);
    assertThat(s.rateAt(5_000_000_000L)).isEqualTo(200.0);
    assertThat(s.rateAt(60_000_000_000L)).isEqualTo(300.0);
  }

  @Test
  void rampDownWorksToo() {
    RateSchedule s = RateSchedule.ramp(300, 100, Duration.ofSeconds(10));
    assertThat(s.events()).isEqualTo(2000);
    assertThat(eventsBefore(s, 5_000_000_000L)).isEqualTo(1250); // 300 * 5 - 20 * 25 / 2
    assertThat(eventsBefore(s, 10_000_000_000L)).isEqualTo(2000);
  }

  @Test
  void forACountTheRampSpansTheTimeTheEventsTake() {
    // 200 connections ramping 50 -> 150/s take 2 * 200 / (50 + 150) = 2 s.
    RateSchedule s = RateSchedule.forEvents(50, 150, 200);
    assertThat(s.length()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.events()).isEqualTo(200);
    assertThat(s.dueNanos(199)).isLessThan(2_000_000_000L);
    assertThat(s.dueNanos(200)).isEqualTo(2_000_000_000L);
  }

  @Test
  void dueTimesIncreaseAndTheGapIsOneOverTheRate() {
    RateSchedule s = RateSchedule.ramp(10, 10_000, Duration.ofSeconds(30));
    long previous = -1;
    for (long n = 0; n < s.events(); n++) {
      long due = s.dueNanos(n);
      assertThat(due).isGreaterThan(previous);
      previous = due;
    }
    long n = 100_000;
    double gapSeconds = (s.dueNanos(n + 1) - s.dueNanos(n)) / 1e9;
    assertThat(gapSeconds).isCloseTo(1 / s.rateAt(s.dueNanos(n)), within(1e-7));
  }

  @Test
  void immediateEventsAreAllDueAtTheStart() {
    RateSchedule s = RateSchedule.immediate(50);
    assertThat(s.events()).isEqualTo(50);
    assertThat(s.dueNanos(49)).isZero();
    assertThat(s.length()).isEqualTo(Duration.ZERO);
  }

  @Test
  void shardsTakeEveryNthEventAndTogetherMakeTheWhole() {
    RateSchedule whole = RateSchedule.ramp(100, 300, Duration.ofSeconds(10));
    long total = 0;
    for (int i = 0; i < 3; i++) {
      RateSchedule shard = whole.forShard(new Shard(i, 3));
      assertThat(shard.rateAt(0)).isCloseTo(100.0 / 3, within(1e-9));
      assertThat(shard.length()).isEqualTo(whole.length());
      for (long n = 0; n < shard.events(); n++) assertThat(shard.dueNanos(n)).isEqualTo(whole.dueNanos(i + 3 * n));
      total += shard.events();
    }
    assertThat(total).isEqualTo(2000);
  }

  /** How many events are due before {@code nanos}, counted one by one. */
  private static long eventsBefore(RateSchedule s, long nanos) {
    long n = 0;
    while (s.dueNanos(n) < nanos) n++;
    return n;
  }
}
