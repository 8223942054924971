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
        "  messages    SenML JSON, as rendered; MQTT QoS 0, keep-alive 1 min",
        "  connect     500 connections at 25 rising to 125/s, 6.7 s")
        .last().asString().endsWith("handshakes/s >= 100 (shard 0/4: >= 25)");
  }

  @Test
  void everyShardHasTheFleetsProtocolMix() {
    Scenario quickstart = Scenario.load(Path.of("../scenarios/quickstart.yaml")); // 200 devices at 70/10/10/10

    assertThat(ScenarioPlan.lines(quickstart.forShard(Shard.parse("0/2"))).getFirst())
        .startsWith("quickstart (shard 0/2): 100 devices (mqtt3 70, mqtt5 10, https 10, wss 10)");
    assertThat(ScenarioPlan.lines(quickstart.forShard(Shard.parse("1/2"))).getFirst())
        .startsWith("quickstart (shard 1/2): 100 devices (mqtt3 70, mqtt5 10, https 10, wss 10)");
    // Every 10th device of a sequence whose period is 10 would all be mqtt3.
    for (int i = 0; i < 10; i++) {
      assertThat(ScenarioPlan.lines(quickstart.forShard(new Shard(i, 10))).getFirst())
          .contains("20 devices (mqtt3 14, mqtt5 2, https 2, wss 2)");
    }
  }

  @Test
  void shardsThatDoNotDivideTheFleetEvenlyStillAddUpToItsMix() {
    ProtocolMix mix = new ProtocolMix(java.util.Map.of(Protocol.MQTT3, 70, Protocol.MQTT5, 10, Protocol.HTTPS, 10, Protocol.WSS, 10), 200);
    java.util.Map<Protocol, Integer> all = new java.util.EnumMap<>(Protocol.class);
    for (int i = 0; i < 3; i++) {
      Shard shard = new Shard(i, 3); // 67, 67 and 66 devices
      java.util.Map<Protocol, Integer> mine = new java.util.EnumMap<>(Protocol.class);
      for (int local = 0; local < shard.share(200); local++) mine.merge(mix.protocolOf(shard, local), 1, Integer::sum);
      assertThat(mine.get(Protocol.MQTT3)).as("shard %s", shard).isBetween(46, 47); // 70 % of 66 or 67
      assertThat(mine.get(Protocol.WSS)).as("shard %s", shard).isBetween(6, 7);
      mine.forEach((p, n) -> all.merge(p, n, Integer::sum));
    }
    assertThat(all).isEqualTo(mix.devices());
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

    assertThat(ScenarioPlan.lines(Scenario.load(file))).element(2).isEqualTo("  from      127.0.0.2, 127.0.0.3, in turn");
  }
}
