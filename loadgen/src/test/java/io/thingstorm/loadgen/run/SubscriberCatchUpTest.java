package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that ends right after a burst, with no hold: the subscriber is still receiving what the
 * broker forwards. Those messages were delivered, not lost, and the report says they came late.
 */
class SubscriberCatchUpTest {
  @TempDir Path dir;

  @Test
  void messagesStillOnTheirWayWhenTheLastPhaseEndsAreReceivedNotLost() {
    Scenario scenario = ScenarioFiles.write(dir, "burst", """
        name: burst
        target: {embedded: true}
        fleet:
          count: 20
          protocols: {mqtt3: 100}
          mqtt: {qos: 1}
          subscribers: 1
        phases:
          - connect: {rate: 100}
          - publish: {rate: 20000, count: 10000}
        """);
    Path out = dir.resolve("out");

    RunEngine.builder().scenario(scenario).out(out).build().run();

    RunReport report = ReportReader.read(out);
    assertThat(report.totals().acknowledged()).isEqualTo(10_000);
    assertThat(report.totals().received()).as(String.join("\n", report.notes())).isEqualTo(10_000);
  }

  /**
   * A subscriber still working through a warmup phase's messages (which count nowhere) has the
   * counted ones behind them: for 1.5 s only warm-up messages arrive, then the counted ones. Waiting
   * for counted arrivals alone gave up after 1 s of their silence and called all of them lost.
   */
  @Test
  void aSubscriberStillTakingWarmUpMessagesIsWaitedFor() throws InterruptedException {
    AtomicLong received = new AtomicLong();
    AtomicLong arrivals = new AtomicLong();
    Thread broker = every50Millis(30, () -> arrivals.addAndGet(1_000), () -> { // warm-up messages, then the counted
      arrivals.addAndGet(5_000);
      received.set(5_000);
    });

    Optional<String> note = RunEngine.awaitSubscribers(received::get, () -> 5_000, arrivals::get, Duration.ofSeconds(10), () -> false);
    broker.join();

    assertThat(received.get()).isEqualTo(5_000);
    assertThat(note).hasValueSatisfying(n -> assertThat(n).startsWith("subscribers were behind: 5,000 messages arrived")
        .doesNotContain("limit"));
  }

  /** Still arriving when the wait's limit comes: the note says that the rest may not be lost. */
  @Test
  void aWaitCutByItsLimitSaysSo() throws InterruptedException {
    AtomicLong received = new AtomicLong();
    Thread broker = every50Millis(30, () -> received.addAndGet(100), () -> {});

    Optional<String> note = RunEngine.awaitSubscribers(received::get, () -> 1_000_000, received::get, Duration.ofSeconds(1), () -> false);
    broker.join();

    assertThat(note).hasValueSatisfying(n -> assertThat(n)
        .contains("the wait ended at its 1 s limit while messages still arrived"));
  }

  /**
   * Still taking the warm-up's messages when the limit comes, with none of the counted ones yet: the
   * report must say why every counted message shows as never received (it said nothing).
   */
  @Test
  void aSubscriberStillOnWarmUpMessagesAtTheLimitSaysSo() throws InterruptedException {
    AtomicLong arrivals = new AtomicLong();
    Thread broker = every50Millis(30, () -> arrivals.addAndGet(1_000), () -> {});

    Optional<String> note = RunEngine.awaitSubscribers(() -> 0, () -> 5_000, arrivals::get, Duration.ofSeconds(1), () -> false);
    broker.join();

    assertThat(note).hasValueSatisfying(n -> assertThat(n)
        .startsWith("subscribers were behind: only warm-up messages arrived")
        .contains("none of the counted ones")
        .contains("the wait ended at its 1 s limit while messages still arrived"));
  }

  /** A broker's deliveries as a subscriber sees them: {@code step} every 50 ms, {@code times} times, then {@code last}. */
  private static Thread every50Millis(int times, Runnable step, Runnable last) {
    return Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < times; i++) {
          step.run();
          Thread.sleep(50);
        }
        last.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
