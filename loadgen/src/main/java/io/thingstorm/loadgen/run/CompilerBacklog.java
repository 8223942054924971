package io.thingstorm.loadgen.run;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether the JIT has caught up with the code that is running: HotSpot's C2 queue (as {@code jcmd
 * PID Compiler.queue} prints it) was empty at the last two calls. C2 is what takes long; C1's queue
 * empties in moments. The total compile time the standard MXBean gives is no substitute: it grows
 * only as a compile ends, and C2 spends up to half a second on one method of the connect path.
 *
 * <p>It must be asked while that code still runs: HotSpot drops a queued compile whose method has
 * not run for 50 ms ({@code TieredCompileTaskTimeout}), so the queues empty as soon as a warm-up
 * stops, and fill again when the ramp begins.
 */
final class CompilerBacklog {
  static final long POLL_MILLIS = 250;
  private static final int QUIET_POLLS = 2;
  private static final String[] NO_ARGUMENTS = {};

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName commands = diagnosticCommands(server);
  private int quietPolls;

  /**
   * Called every {@link #POLL_MILLIS}: whether C2's queue was empty now and at the call before.
   * Always true on a JVM that does not show its queues.
   */
  boolean idle() {
    String queues = queues();
    if (queues == null) return true;
    quietPolls = queued(queues) == 0 ? quietPolls + 1 : 0;
    return quietPolls >= QUIET_POLLS;
  }

  /** Compiles waiting in C2's queue, in {@code jcmd Compiler.queue}'s text (the one it is at not counted). */
  static int queued(String queues) {
    int waiting = 0;
    boolean inC2Queue = false;
    for (String line : queues.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.endsWith(":") && !Character.isDigit(trimmed.charAt(0))) {
        inC2Queue = trimmed.equals("C2 compile queue:"); // a section's header
      } else if (inC2Queue && !trimmed.isEmpty() && !trimmed.equals("Empty")) {
        waiting++;
      }
    }
    return waiting;
  }

  /** The text of {@code jcmd Compiler.queue}, or null on a JVM without it. */
  String queues() {
    if (commands == null) return null;
    try {
      return (String) server.invoke(commands, "compilerQueue", new Object[] {NO_ARGUMENTS},
          new String[] {String[].class.getName()});
    } catch (JMException | RuntimeException notHotSpot) {
      return null;
    }
  }

  private static ObjectName diagnosticCommands(MBeanServer server) {
    try {
      ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
      return server.isRegistered(name) ? name : null;
    } catch (JMException e) {
      return null;
    }
  }
}
