package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OfflineBufferTest {
  static OfflineBuffer.Message message(int n) {
    return new OfflineBuffer.Message("c", null, new byte[] {(byte) n}, Transport.SENML_JSON, 1, false);
  }

  @Test
  void whenFullTheOldestIsDroppedAndCounted() {
    OfflineBuffer buffer = new OfflineBuffer(2);
    buffer.add(message(1));
    buffer.add(message(2));
    buffer.add(message(3));
    assertThat(buffer.dropped()).isEqualTo(1);
    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.peek().payload()).containsExactly(2);
  }

  @Test
  void backoffGrowsToItsMaximumWithJitter() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2, 0.5);
    assertThat(backoff.delay(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    assertThat(backoff.delay(40)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }
}
