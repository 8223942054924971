package io.thingstorm.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between reconnect attempts: the delay doubles from
 * {@code initial} up to {@code max}, and a random part of it ({@code jitter}, 0 to 1) spreads a
 * fleet that lost its broker at once, so that it does not come back at once.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
  public Backoff {
    if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial backoff must be positive");
    if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max backoff must be at least the initial one");
    if (multiplier < 1) throw new IllegalArgumentException("backoff multiplier must be at least 1");
    if (jitter < 0 || jitter > 1) throw new IllegalArgumentException("jitter is between 0 and 1");
  }

  /** 1 s doubling to 2 min, half of it random. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2), 2.0, 0.5);
  }

  /** The delay before attempt {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    double base = Math.min(max.toMillis(), initial.toMillis() * Math.pow(multiplier, Math.min(attempt, 62)));
    double spread = base * jitter;
    return Duration.ofMillis((long) (base - spread + ThreadLocalRandom.current().nextDouble() * spread));
  }
}
