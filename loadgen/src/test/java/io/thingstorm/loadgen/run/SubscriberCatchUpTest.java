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

  /** Still arriving when the wait's limit comes: the note says that the rest may not be lost. */
  @Test
  void aWaitCutByItsLimitSaysSo() throws InterruptedException {
    AtomicLong received = new AtomicLong();
    Thread broker = every50Millis(30, () -> received.addAndGet(100));

    Optional<String> note = RunEngine.awaitSubscribers(received::get, () -> 1_000_000, Duration.ofSeconds(1), () -> false);
    broker.join();

    assertThat(note).hasValueSatisfying(n -> assertThat(n).startsWith("subscribers were behind: ")
        .contains("the wait ended at its 1 s limit while messages still arrived"));
  }

  /** A broker's deliveries as a subscriber sees them: {@code step} every 50 ms, {@code times} times. */
  private static Thread every50Millis(int times, Runnable step) {
    return Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; i < times; i++) {
          step.run();
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
