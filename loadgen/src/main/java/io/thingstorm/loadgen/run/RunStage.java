package io.thingstorm.loadgen.run;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run is doing now, for the live line: a set-up step and how far it got ("issuing identities
 * 1,200/10,000"), or the phase. Set-up can take minutes (thousands of RSA keys), and a line that
 * shows only "connected 0/10,000" then looks stuck.
 */
public final class RunStage {
  private volatile String name = "starting";
  private volatile long steps;
  private final LongAdder done = new LongAdder();

  /** A stage with no count of its own. */
  void enter(String name) {
    enter(name, 0);
  }

  /** A stage of {@code steps} steps, each counted by {@link #step()}. */
  void enter(String name, long steps) {
    done.reset();
    this.steps = steps;
    this.name = name;
  }

  /** One step of the current stage done; called from any thread. */
  void step() {
    done.increment();
  }

  /** "set-up: issuing identities 1,200/10,000", "publish (phase 3 of 5)". */
  public String describe() {
    long of = steps;
    if (of <= 0) return name;
    return String.format(Locale.ROOT, "%s %,d/%,d", name, Math.min(done.sum(), of), of);
  }

  @Override
  public String toString() {
    return describe();
  }
}
