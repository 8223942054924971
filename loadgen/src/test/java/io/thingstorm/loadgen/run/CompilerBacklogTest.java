package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompilerBacklogTest {
  /** As {@code jcmd PID Compiler.queue} printed it during a warm-up on JDK 25. */
  static final String BUSY = """
      2931:
      Current compiles:\s
      C2 CompilerThread0  4627       4       java.util.stream.ReferencePipeline$3$1::accept (20 bytes)
      C1 CompilerThread0  7689       3       java.lang.invoke.MethodHandleNatives::linkCallSiteImpl (119 bytes)

      C1 compile queue:
      7690   !   3       java.lang.invoke.CallSite::makeSite (95 bytes)
      7691   !   3       java.lang.invoke.BootstrapMethodInvoker::invoke (978 bytes)

      C2 compile queue:
      2109       4       java.util.ArrayList::elementData (7 bytes)
      3473       4       java.lang.invoke.VarHandleGuards::guard_LI_I (78 bytes)
      """;

  static final String CAUGHT_UP = """
      2931:
      Current compiles:\s
      C2 CompilerThread0  9206       4       org.bouncycastle.math.raw.Nat::shiftUpBits (42 bytes)

      C1 compile queue:
      9227       2       java.time.Clock::systemUTC (4 bytes)

      C2 compile queue:
      Empty
      """;

  @Test
  void countsWhatWaitsForC2() {
    assertThat(CompilerBacklog.queued(BUSY)).isEqualTo(2);
    assertThat(CompilerBacklog.queued(CAUGHT_UP)).isZero(); // C1's queue and the compile under way do not count
  }

  @Test
  void readsThisJvmsQueues() {
    String queues = new CompilerBacklog().queues();

    assertThat(queues).as("HotSpot's DiagnosticCommand MBean").isNotNull().contains("C2 compile queue:");
  }

  @Test
  void oneEmptyLookIsNotEnough() {
    CompilerBacklog backlog = new CompilerBacklog();

    assertThat(backlog.idle()).isFalse(); // two polls in a row are
  }
}
