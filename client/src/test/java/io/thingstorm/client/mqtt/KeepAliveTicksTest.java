package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveTicksTest {
  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void checksDueAtDifferentInstantsWithinOneSecondMeetOnTheSameTick() {
    long now = System.nanoTime();
    long first = now + KeepAliveTicks.onTick(now, 60 * SECOND);
    long dueHalfASecondBefore = first - SECOND / 2;
    long asked = dueHalfASecondBefore - 60 * SECOND;
    long second = asked + KeepAliveTicks.onTick(asked, 60 * SECOND);

    assertThat(second).isEqualTo(first);
    assertThat(first - now).isBetween(60 * SECOND, 61 * SECOND);
  }

  @Test
  void aCheckIsNeverEarlyAndLateByAtMostAnEighthOfAShortDelay() {
    long now = System.nanoTime();
    long delay = 2 * SECOND;
    long moved = KeepAliveTicks.onTick(now, delay);

    assertThat(moved).isBetween(delay, delay + delay / 8);
    assertThat(KeepAliveTicks.onTick(now, 0)).isZero();
    assertThat(KeepAliveTicks.onTick(now, 5)).isEqualTo(5); // too short for a tick: as asked
  }
}
