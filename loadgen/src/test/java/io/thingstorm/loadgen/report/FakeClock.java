package io.thingstorm.loadgen.report;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told: runs tick by whole seconds, and no test depends on wall time. */
final class FakeClock implements InstantSource {
  private final AtomicLong millis;

  FakeClock(Instant start) {
    millis = new AtomicLong(start.toEpochMilli());
  }

  void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }
}
