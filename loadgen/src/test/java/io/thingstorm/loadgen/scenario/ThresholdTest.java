package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdTest {
  @Test
  void latencyThresholdsNameAMetricAndAPercentileInMilliseconds() {
    Threshold t = Threshold.parse("p99 publish latency < 250 ms");
    assertThat(t.key()).isEqualTo("publish.latency.p99");
    assertThat(t.comparison()).isEqualTo(Threshold.Comparison.LESS);
    assertThat(t.limit()).isEqualTo(250.0);
    assertThat(Threshold.parse("max e2e latency <= 1.5 s").key()).isEqualTo("e2e.latency.max");
    assertThat(Threshold.parse("max e2e latency <= 1.5 s").limit()).isEqualTo(1500.0);
    assertThat(Threshold.parse("p999 handshake latency<40ms").key()).isEqualTo("handshake.latency.p999");
    assertThat(Threshold.parse("p99.9 publish latency < 1 s").key()).isEqualTo("publish.latency.p999"); // as the summary names it
    assertThat(Threshold.parse("p99 tcp latency < 1 s").key()).isEqualTo("tcp.latency.p99");
  }

  @Test
  void countsAndRates() {
    assertThat(Threshold.parse("errors < 0.1 %")).extracting(Threshold::key, Threshold::limit)
        .containsExactly("errors.percent", 0.1);
    assertThat(Threshold.parse("handshakes/s >= 500").key()).isEqualTo("handshakes.per_second");
    assertThat(Threshold.parse("messages/s >= 2000").key()).isEqualTo("messages.per_second");
    assertThat(Threshold.parse("connected >= 200").key()).isEqualTo("connected.max");
    assertThat(Threshold.parse("generator cpu < 90 %")).extracting(Threshold::key, Threshold::limit)
        .containsExactly("generator.cpu.percent.max", 90.0);
    assertThat(Threshold.KEYS).contains("lag.latency.p50", "session.latency.max", "tcp.latency.p99", "errors.percent").hasSize(40);
  }

  @Test
  void aShardIsJudgedOnItsShareOfWholeFleetCountsAndRates() {
    Shard first = Shard.parse("0/20");
    Threshold connected = Threshold.parse("connected >= 9500").forShard(first, 9500);
    assertThat(connected.limit()).isEqualTo(475);
    assertThat(connected.text()).isEqualTo("connected >= 9500 (shard 0/20: >= 475)");
    assertThat(Threshold.parse("handshakes/s >= 100").forShard(Shard.parse("1/3"), 9500).limit()).isCloseTo(33.33, within(0.01));
    assertThat(Threshold.parse("messages/s >= 2000").forShard(first, 9500).limit()).isEqualTo(100);
    // Latencies and the error share hold for every shard as they are.
    Threshold p99 = Threshold.parse("p99 publish latency < 250 ms");
    assertThat(p99.forShard(first, 9500)).isSameAs(p99);
    assertThat(Threshold.parse("errors < 0.1 %").forShard(first, 9500).limit()).isEqualTo(0.1);
    assertThat(connected.forShard(Shard.WHOLE, 9500)).isSameAs(connected);
  }

  @Test
  void evaluatesAgainstTheRunsFigures() {
    Map<String, Double> run = Map.of("publish.latency.p99", 180.0, "errors.percent", 0.4);
    assertThat(Threshold.parse("p99 publish latency < 250 ms").evaluate(run::get))
        .isEqualTo(new Verdict("p99 publish latency < 250 ms", "publish.latency.p99", true, 180.0));
    assertThat(Threshold.parse("errors < 0.1 %").evaluate(run::get).passed()).isFalse();
    assertThat(Threshold.parse("errors <= 0.4 %").evaluate(run::get).passed()).isTrue();
    // A figure the run does not have fails the threshold rather than passing it unseen.
    Verdict missing = Threshold.parse("handshakes/s >= 500").evaluate(key -> Double.NaN);
    assertThat(missing.passed()).isFalse();
    assertThat(missing.actual()).isNaN();
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> Threshold.parse("p99 delivery latency < 5 ms"))
        .hasMessage("unknown metric 'delivery' in \"p99 delivery latency < 5 ms\" (known: publish, connect, tcp, handshake, session, e2e, lag)");
    assertThatThrownBy(() -> Threshold.parse("p99 publish latency < 5 minutes")).hasMessageStartingWith("cannot read ");
    assertThatThrownBy(() -> Threshold.parse("errors < 5")).hasMessageStartingWith("cannot read \"errors < 5\"");
  }
}
