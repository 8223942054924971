package io.thingstorm.cli;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Which signal stopped the process, for the note of a stopped run. Shutdown hooks run alike for
 * SIGINT (Ctrl-C) and SIGTERM ({@code kill}, Kubernetes ending a pod) and cannot tell them apart, so
 * this sees the signal first, through {@code sun.misc.Signal} (module jdk.unsupported), and hands it
 * on to the handler it replaced: the JVM's own, which starts the shutdown as before (exit 130 or
 * 143). Where a handler cannot be put in front ({@code -Xrs}, a signal ignored or not known on
 * this system), nothing changes and the note says only that a signal came.
 */
final class StopSignal {
  private static final AtomicReference<String> RECEIVED = new AtomicReference<>();

  private StopSignal() {}

  /** Starts watching SIGINT and SIGTERM; safe to call more than once. */
  static synchronized void watch() {
    for (String name : new String[] {"INT", "TERM"}) watch(name);
  }

  private static void watch(String name) {
    try {
      Signal signal = new Signal(name);
      AtomicReference<SignalHandler> previous = new AtomicReference<>();
      SignalHandler old = Signal.handle(signal, s -> {
        RECEIVED.compareAndSet(null, s.getName());
        SignalHandler next = previous.get();
        // Come before the JVM's handler was noted (a window of a few instructions): stop as it would.
        if (next != null) next.handle(s);
        else Runtime.getRuntime().exit(128 + s.getNumber());
      });
      if (old == SignalHandler.SIG_DFL || old == SignalHandler.SIG_IGN || isOurs(old)) {
        Signal.handle(signal, old); // no JVM handler to hand on to (or already watched): leave it as it was
      } else {
        previous.set(old);
      }
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError cannotWatch) {
      // the neutral note it is
    }
  }

  /** A handler of ours already in front (watch called again): handing on to it would count twice, harmlessly, but it is not needed. */
  private static boolean isOurs(SignalHandler handler) {
    return handler.getClass().getNestHost() == StopSignal.class;
  }

  /** Why the run stopped, for its note: by the signal seen, else neutrally. */
  static String reason() {
    String name = RECEIVED.get();
    if ("INT".equals(name)) return "interrupted by SIGINT (Ctrl-C)";
    if ("TERM".equals(name)) return "stopped by SIGTERM";
    return "interrupted by a signal";
  }
}
