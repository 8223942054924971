package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plan reads back what the generator understood: counts, rates, times that a person can check. */
class ScenarioPlanTest {
  @Test
  void longPhasesAreInHoursAndMinutes_andTheLastLineAddsThemUp() {
    Scenario soak = Scenario.load(Path.of("../scenarios/soak.yaml"));

    assertThat(ScenarioPlan.lines(soak)).contains(
        "  publish     288,000 messages at 20/s, 4 h",
        "  churn       1,200 reconnects at 2/s, 10 min (0.20 % of the fleet a second)")
        .last().asString().startsWith("about 8 h 11 min in all; thresholds: p99 publish latency < 250 ms;");
  }

  @Test
  void aShardHasItsShareOfDevicesAndRates() {
    Scenario shard = Scenario.load(Path.of("../scenarios/handshake-storm.yaml")).forShard(Shard.parse("0/4"));

    assertThat(ScenarioPlan.lines(shard)).startsWith(
        "handshake-storm (shard 0/4): 500 devices (mqtt3 500), no subscribers; target: the embedded testbed",
        "  connect     500 connections at 25 rising to 125/s, 6.7 s")
        .last().asString().endsWith("handshakes/s >= 100 (shard 0/4: >= 25)");
  }

  @Test
  void sourceAddressesAreListedUnderTheFleet(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("spread.yaml"), """
        name: spread
        target: {embedded: true}
        fleet:
          count: 30
          sourceAddresses: [127.0.0.2, 127.0.0.3]
        phases:
          - connect: {rate: 10}
        """);

    assertThat(ScenarioPlan.lines(Scenario.load(file))).element(1).isEqualTo("  from      127.0.0.2, 127.0.0.3, in turn");
  }
}
