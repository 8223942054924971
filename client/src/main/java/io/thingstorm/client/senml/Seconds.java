package io.thingstorm.client.senml;

import java.time.Duration;
import java.time.Instant;

/**
 * SenML counts time in seconds as a double. Conversions round to the microsecond: near today's
 * epoch seconds a double resolves about 0.24 µs, so finer digits would be noise (1.276020076001e9
 * should read as .001 s, not .000999928 s).
 */
final class Seconds {
  /** Beyond this many seconds a double no longer holds whole microseconds. */
  private static final double MICROS_EXACT = 0x1p53 / 1e6;

  private Seconds() {}

  static Instant toInstant(double seconds) {
    if (Math.abs(seconds) < MICROS_EXACT) {
      long micros = Math.round(seconds * 1e6);
      return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
    return Instant.ofEpochSecond((long) Math.floor(seconds));
  }

  static Duration toDuration(double seconds) {
    if (Math.abs(seconds) < MICROS_EXACT) return Duration.ofNanos(Math.round(seconds * 1e6) * 1000L);
    return Duration.ofSeconds((long) Math.floor(seconds));
  }

  static double of(Instant instant) {
    return of(instant.getEpochSecond(), instant.getNano());
  }

  static double of(Duration duration) {
    return of(duration.getSeconds(), duration.getNano());
  }

  private static double of(long seconds, int nanos) {
    if (Math.abs(seconds) < MICROS_EXACT) {
      // One rounding, from whole microseconds, gives back the double the seconds came from.
      return (seconds * 1_000_000L + Math.round(nanos / 1000.0)) / 1e6;
    }
    return seconds + nanos / 1e9;
  }
}
