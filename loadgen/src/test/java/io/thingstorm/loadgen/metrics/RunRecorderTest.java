package io.thingstorm.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {
  @TempDir Path dir;
  private final AtomicLong millis = new AtomicLong(Instant.parse("2026-05-06T07:08:09Z").toEpochMilli());
  private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());

  @Test
  void keepsMicrosecondsFromNanosecondsAndClampsWhatIsOutOfRange() {
    RunRecorder recorder = RunRecorder.start(dir, clock);
    recorder.record(Metric.PUBLISH, "mqtt5", 1_234_567); // 1,234 µs
    recorder.record(Metric.PUBLISH, "mqtt5", -5); // a clock step back: 0, not an exception
    recorder.record(Metric.PUBLISH, "mqtt5", 2 * 3_600_000_000_000L); // two hours: kept as one
    millis.addAndGet(1000);

    Histogram h = recorder.finish().latencies().get(0).histogram();

    assertThat(h.getTotalCount()).isEqualTo(3);
    assertThat(h.getMinValue()).isZero();
    assertThat(h.valuesAreEquivalent(h.getValueAtPercentile(50), 1234)).isTrue();
    assertThat(h.valuesAreEquivalent(h.getMaxValue(), RunRecorder.HIGHEST_MICROS)).isTrue();
  }

  @Test
  void aSecondWithoutAMetricShowsNothingOfItAndValuesAfterItAllCount() throws Exception {
    RunRecorder recorder = RunRecorder.start(dir, clock);
    recorder.record(Metric.PUBLISH, "mqtt3", 1_000_000);
    recorder.record(Metric.PUBLISH, "mqtt3", 3_000_000);
    recorder.record(Metric.CONNECT, "mqtt3", 40_000_000);
    millis.addAndGet(1000);
    recorder.tick();
    millis.addAndGet(1000);
    recorder.tick(); // nothing recorded in this second
    for (int i = 0; i < 3; i++) recorder.record(Metric.PUBLISH, "mqtt3", 5_000_000);
    millis.addAndGet(1000);

    Measurements m = recorder.finish();
    assertThat(m.timeline()).extracting(TimelinePoint::publishP50Ms)
        .satisfiesExactly(
            first -> assertThat(first).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01)),
            quiet -> assertThat(quiet).isNaN(),
            last -> assertThat(last).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01)));
    Histogram publish = m.latencies().stream().filter(l -> l.metric() == Metric.PUBLISH).findFirst().orElseThrow().histogram();
    assertThat(publish.getTotalCount()).isEqualTo(5);
    // The interval log has the two seconds that had values, with their counts.
    var log = new org.HdrHistogram.HistogramLogReader(dir.resolve("publish.hlog").toFile());
    assertThat(((Histogram) log.nextIntervalHistogram()).getTotalCount()).isEqualTo(2);
    assertThat(((Histogram) log.nextIntervalHistogram()).getTotalCount()).isEqualTo(3);
    assertThat(log.nextIntervalHistogram()).isNull();
  }

  @Test
  void connectedKeepsItsHighestValue() {
    RunRecorder recorder = RunRecorder.start(dir, clock);
    recorder.connected(1);
    recorder.connected(1);
    recorder.connected(-1);
    recorder.connected(1);
    recorder.connected(1);
    recorder.connected(-1);
    millis.addAndGet(1000);

    Measurements m = recorder.finish();
    assertThat(m.connectedMax()).isEqualTo(3);
    assertThat(m.timeline()).singleElement().extracting(TimelinePoint::connected).isEqualTo(2L);
  }

  @Test
  void ticksOnItsOwnAndADisplayThatThrowsDoesNotStopIt() throws Exception {
    RunRecorder recorder = RunRecorder.start(dir);
    java.util.concurrent.CountDownLatch twoTicks = new java.util.concurrent.CountDownLatch(2);
    try (AutoCloseable ticking = recorder.tickEverySecond(point -> {
      twoTicks.countDown();
      throw new IllegalStateException("a broken terminal");
    })) {
      assertThat(twoTicks.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
    assertThat(recorder.finish().timeline()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aFinishedRunTakesNoMoreTicks() {
    RunRecorder recorder = RunRecorder.start(dir, clock);
    millis.addAndGet(1000);
    recorder.finish();
    assertThatThrownBy(recorder::tick).isInstanceOf(IllegalStateException.class);
    recorder.close(); // finishing twice is harmless
  }
}
