package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTest {
  @Test
  void parsesTheFlagAndTheKubernetesEnvironment() {
    assertThat(Shard.parse("1/3")).isEqualTo(new Shard(1, 3));
    assertThat(Shard.resolve(null, Map.of("JOB_COMPLETION_INDEX", "19", "JOB_COMPLETIONS", "20"))).isEqualTo(new Shard(19, 20));
    assertThat(Shard.resolve("0/2", Map.of("JOB_COMPLETION_INDEX", "19", "JOB_COMPLETIONS", "20"))).isEqualTo(new Shard(0, 2));
    assertThat(Shard.resolve(null, Map.of())).isEqualTo(Shard.WHOLE);
    assertThatThrownBy(() -> Shard.parse("3/3")).hasMessage("shard 3/3: shard index must be from 0 to 2, not 3");
    assertThatThrownBy(() -> Shard.parse("a/b")).hasMessage("a shard is i/N with 0 <= i < N, such as 0/3, not a/b");
  }

  @Test
  void shardsPartitionTheFleetAndDivideEveryRate() {
    Scenario whole = Scenario.load(ReadyScenariosTest.SCENARIOS.resolve("quickstart.yaml"));
    List<Integer> devices = new ArrayList<>();
    Map<Protocol, Integer> protocols = new EnumMap<>(Protocol.class);
    long messages = 0;
    for (int i = 0; i < 3; i++) {
      Scenario shard = whole.forShard(new Shard(i, 3));
      Fleet fleet = shard.fleet();
      assertThat(fleet.size()).isEqualTo(i < 2 ? 67 : 66); // 200 = 67 + 67 + 66
      for (int local = 0; local < fleet.size(); local++) {
        devices.add(fleet.deviceIndex(local));
        protocols.merge(fleet.protocol(local), 1, Integer::sum);
      }
      Phase.Publish publish = (Phase.Publish) shard.phases().get(1);
      assertThat(publish.schedule().rateAt(0)).isEqualTo(200.0 / 3);
      messages += publish.schedule().events();
      Phase.Churn churn = (Phase.Churn) shard.phases().get(3);
      assertThat(churn.schedule().rateAt(0)).isEqualTo(10.0 / 3);
      Phase.Connect connect = (Phase.Connect) shard.phases().get(0);
      assertThat(connect.schedule().events()).isEqualTo(fleet.size());
      // The shard's n-th connection is due when the whole fleet's device would have connected.
      assertThat(connect.schedule().dueNanos(5)).isEqualTo(((Phase.Connect) whole.phases().get(0)).schedule().dueNanos(fleet.deviceIndex(5)));
      assertThat(shard.plannedLength()).isEqualTo(whole.plannedLength());
    }
    assertThat(devices).hasSize(200).doesNotHaveDuplicates().allMatch(d -> d >= 0 && d < 200);
    assertThat(protocols).isEqualTo(whole.fleet().protocols().devices());
    assertThat(messages).isEqualTo(3000);
  }

  @Test
  void theWholeIsItsOwnShard() {
    Scenario whole = Scenario.load(Path.of("..", "scenarios", "quickstart.yaml"));
    assertThat(whole.forShard(Shard.WHOLE)).isSameAs(whole);
    assertThat(whole.shard()).isEqualTo(Shard.WHOLE);
  }
}
