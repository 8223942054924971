package io.thingstorm.client.mqtt;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The executor Paho's loops run on, minus Paho's 100 ms start-up sleeps.
 *
 * <p>Paho 1.2.5 (v3 and v5) starts its receiver, sender and callback loops by submitting each while
 * holding the loop's {@code lifecycle} monitor, then polls {@code isRunning()} every 100 ms. The loop
 * can only set itself running once that monitor is free, so the first poll nearly always misses and a
 * connect sleeps 100 to 300 ms. Handed one of those loops, this executor sets its state to running
 * itself (the caller holds the monitor, so the write is safe and seen) before starting it; if the loop
 * is cancelled before it ever ran, its state goes back to stopped, so that a later start works.
 * For other Paho versions, whose fields differ, it is the executor it wraps.
 */
final class PahoLoops extends ForwardingScheduledExecutor {
  private static final Set<String> LOOPS = Set.of(
      "org.eclipse.paho.client.mqttv3.internal.CommsReceiver",
      "org.eclipse.paho.client.mqttv3.internal.CommsSender",
      "org.eclipse.paho.client.mqttv3.internal.CommsCallback",
      "org.eclipse.paho.mqttv5.client.internal.CommsReceiver",
      "org.eclipse.paho.mqttv5.client.internal.CommsSender",
      "org.eclipse.paho.mqttv5.client.internal.CommsCallback");

  private static final ClassValue<Optional<LoopState>> STATES = new ClassValue<>() {
    @Override
    protected Optional<LoopState> computeValue(Class<?> type) {
      return LOOPS.contains(type.getName()) ? LoopState.of(type) : Optional.empty();
    }
  };

  PahoLoops(ScheduledExecutorService delegate) {
    super(delegate);
  }

  @Override
  public Future<?> submit(Runnable task) {
    Optional<LoopState> state = STATES.get(task.getClass());
    if (state.isEmpty()) return delegate.submit(task);
    StartedLoop started = new StartedLoop(task, state.get());
    state.get().markRunning(task);
    try {
      delegate.execute(started);
    } catch (RuntimeException rejected) {
      state.get().markStoppedUnlessBegun(task, started.loop);
      throw rejected;
    }
    return started;
  }

  /** Whether Paho's loops of this version are recognised: their state can be set ahead. */
  static boolean recognises(Class<?> loop) {
    return STATES.get(loop).isPresent();
  }

  /** A loop's {@code current_state} field, its {@code lifecycle} monitor and its RUNNING and STOPPED values. */
  private record LoopState(Field current, Field lifecycle, Object running, Object stopped) {
    static Optional<LoopState> of(Class<?> type) {
      try {
        Field current = type.getDeclaredField("current_state");
        Field lifecycle = type.getDeclaredField("lifecycle");
        if (!current.getType().isEnum()) return Optional.empty();
        Object running = null;
        Object stopped = null;
        for (Object constant : current.getType().getEnumConstants()) {
          String name = ((Enum<?>) constant).name();
          if (name.equals("RUNNING")) running = constant;
          if (name.equals("STOPPED")) stopped = constant;
        }
        if (running == null || stopped == null) return Optional.empty();
        current.setAccessible(true);
        lifecycle.setAccessible(true);
        return Optional.of(new LoopState(current, lifecycle, running, stopped));
      } catch (ReflectiveOperationException | RuntimeException otherVersion) {
        return Optional.empty(); // another Paho: keep its polls
      }
    }

    /** Called from the loop's start(), which holds its lifecycle monitor. */
    void markRunning(Runnable loop) {
      try {
        current.set(loop, running);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e); // setAccessible succeeded above
      }
    }

    /** A loop cancelled before it ran never resets its state itself. */
    void markStoppedUnlessBegun(Runnable loop, BeginningLoop beginning) {
      try {
        synchronized (lifecycle.get(loop)) {
          if (!beginning.begun) current.set(loop, stopped);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Notes that the loop began, so that a cancel after that leaves the state to the loop. */
  private static final class BeginningLoop implements Runnable {
    private final Runnable loop;
    private volatile boolean begun;

    BeginningLoop(Runnable loop) {
      this.loop = loop;
    }

    @Override
    public void run() {
      begun = true;
      loop.run();
    }
  }

  private static final class StartedLoop extends FutureTask<Void> {
    private final Runnable task;
    private final LoopState state;
    private final BeginningLoop loop;

    StartedLoop(Runnable task, LoopState state) {
      this(task, state, new BeginningLoop(task));
    }

    private StartedLoop(Runnable task, LoopState state, BeginningLoop loop) {
      super(loop, null);
      this.task = task;
      this.state = state;
      this.loop = loop;
    }

    @Override
    protected void done() {
      if (isCancelled()) state.markStoppedUnlessBegun(task, loop);
    }
  }
}
