package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.client.senml.SenmlPack;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How an engine uses a scenario, without a clock or a network: each phase's schedule gives the due
 * time of every event, and the payload template makes every message.
 */
class ScenarioWalkthroughTest {
  @Test
  void quickstartAsAnEngineSeesIt() {
    Scenario scenario = Scenario.load(ReadyScenariosTest.SCENARIOS.resolve("quickstart.yaml")).forShard(Shard.WHOLE);
    Fleet fleet = scenario.fleet();
    Instant start = Instant.parse("2026-11-25T07:00:00Z");
    SplittableRandom random = new SplittableRandom(1);
    Map<String, Long> events = new HashMap<>();
    long[] counters = new long[fleet.size()];
    long phaseStart = 0;

    for (Phase phase : scenario.phases()) {
      switch (phase) {
        case Phase.Connect c -> {
          // Event n opens local device n; the TLS handshake's latency counts from its due time.
          for (long n = 0; n < c.schedule().events(); n++) {
            assertThat(fleet.protocol((int) n)).isNotNull();
          }
          count(events, "connect", c.schedule().events());
        }
        case Phase.Publish p -> {
          for (long n = 0; n < p.schedule().events(); n++) {
            int device = (int) (n % fleet.size());
            Instant due = start.plusNanos(phaseStart + p.schedule().dueNanos(n));
            byte[] message = scenario.payload().template().render("thing-" + fleet.deviceIndex(device), counters[device]++, due, random);
            if (n == 0) {
              SenmlPack pack = scenario.payload().format().decode(message);
              assertThat(pack.records().get(0).baseName()).isEqualTo("thing-0:");
              assertThat(pack.records().get(0).time()).isEqualTo(due.toEpochMilli() / 1000.0);
            }
          }
          count(events, "publish", p.schedule().events());
        }
        case Phase.WarmUp w -> count(events, "warmup", w.schedule().events());
        case Phase.Hold h -> count(events, "hold", 0);
        case Phase.Churn c -> count(events, "churn", c.schedule().events());
        case Phase.Disconnect d -> count(events, "disconnect", d.schedule().events());
      }
      phaseStart += phase.length().toNanos();
    }

    assertThat(events).isEqualTo(Map.of(
        "connect", 200L,
        "publish", 3000L + 1000L,   // 200/s for 15 s, then 100 rising to 300/s for 5 s
        "hold", 0L,
        "churn", 50L,               // 5 % of 200 devices per second for 5 s
        "disconnect", 200L));
    assertThat(phaseStart).isEqualTo(29_000_000_000L);
    assertThat(scenario.thresholds()).extracting(Threshold::key)
        .isEqualTo(List.of("publish.latency.p99", "errors.percent", "connected.max"));
  }

  private static void count(Map<String, Long> events, String kind, long n) {
    events.merge(kind, n, Long::sum);
  }
}
