package io.thingstorm.loadgen.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void oneLineSaysWhatTheRunDoesThisSecond() {
    TimelinePoint p = point(12, Map.of());

    assertThat(LiveProgress.line(p, 200))
        .isEqualTo("12s  connected 180/200  hs/s 50  msg/s 1,980  p50 3.1 ms  p99 12 ms  errors 0  lag p99 0.40 ms");
  }

  @Test
  void errorsAreNamedByClass() {
    assertThat(LiveProgress.line(point(3, Map.of("timeout", 2L, "refused", 1L)), 200))
        .contains("errors 3 (refused 1, timeout 2)");
  }

  @Test
  void nothingMeasuredShowsADash() {
    TimelinePoint idle = new TimelinePoint(1, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Map.of(), Double.NaN, 0, 0, Double.NaN);
    assertThat(LiveProgress.line(idle, 10)).isEqualTo("1s  connected 0/10  hs/s 0  msg/s 0  p50 -  p99 -  errors 0  lag p99 -");
  }

  @Test
  void aWarmUpSaysItsRateAndThatItIsNotMeasured() {
    TimelinePoint warming = new TimelinePoint(4, 100, 0, 0, 0, 0, Double.NaN, Double.NaN, Map.of(), Double.NaN, 29_870, 0, Double.NaN);
    assertThat(LiveProgress.line(warming, 100)).contains("msg/s 0 (warm-up 29,870, not measured)  p50 -");
  }

  @Test
  void theConnectWarmUpShowsBesideTheHandshakesItIsNotPartOf() {
    TimelinePoint warming = new TimelinePoint(3, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Map.of(), Double.NaN, 0, 312, Double.NaN);
    assertThat(LiveProgress.line(warming, 19_000)).contains("connected 0/19,000  hs/s 0 (warm-up 312, not measured)  msg/s 0  p50");
  }

  @Test
  void whatTheRunIsDoingComesAfterTheSeconds() {
    LiveProgress progress = new LiveProgress(out, false, 1, 200);
    progress.stageFrom(() -> "set-up: issuing identities 1,200/10,000");
    progress.show(point(3, Map.of()));

    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("3s  set-up: issuing identities 1,200/10,000  connected 180/200  hs/s 50");
  }

  @Test
  void onATerminalTheLineIsRewrittenInPlace() {
    LiveProgress progress = new LiveProgress(out, true, 5, 200);
    progress.show(point(1, Map.of()));
    progress.show(point(2, Map.of()));
    progress.done();

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).startsWith("\r\033[2K1s  connected").contains("\r\033[2K2s  connected").endsWith("ms\n");
    assertThat(printed.chars().filter(c -> c == '\n').count()).isEqualTo(1); // one line, rewritten
  }

  @Test
  void elsewhereALineIsPrintedEveryFewSeconds() {
    LiveProgress progress = new LiveProgress(out, false, 5, 200);
    for (int second = 1; second <= 12; second++) progress.show(point(second, Map.of()));
    progress.done();

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactly("5s", "10s");
  }

  private static TimelinePoint point(int second, Map<String, Long> errors) {
    return new TimelinePoint(second, 180, 50, 1980, 1975, 0, 3.1, 12.04, errors, 0.4, 0, 0, Double.NaN);
  }
}
