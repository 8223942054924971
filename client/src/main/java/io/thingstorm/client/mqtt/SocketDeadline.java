package io.thingstorm.client.mqtt;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time a socket has for its TCP connect and TLS handshake together, watched by {@link Deadlines}:
 * if it passes first, the socket is closed, which ends a connect or a read that waits on it.
 *
 * <p>Why not the socket's own timeouts, which Paho asks for: on a virtual thread, each timed connect
 * or read schedules and cancels a wake-up in the JDK's scheduler. Its thread was woken 3.4 times per
 * MQTTS connect for them, at 0.1 ms of CPU, and the threads that woke it paid a system call each.
 */
final class SocketDeadline implements Deadlines.Watched {
  private static final int RUNNING = 0;
  private static final int MET = 1;
  private static final int MISSED = 2;

  private final Socket socket;
  private final long deadline;
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  /** Watches {@code socket}, which has {@code timeout} from now to be connected and handshaken. */
  SocketDeadline(Socket socket, Duration timeout) {
    this.socket = socket;
    this.deadline = System.nanoTime() + timeout.toNanos();
    Deadlines.watch(this, timeout);
  }

  /** The handshake ended in time; false if the deadline passed first and the socket is closing. */
  boolean meet() {
    return state.compareAndSet(RUNNING, MET) || state.get() == MET;
  }

  /** What a failed {@code step} throws: a timeout if the deadline closed the socket, else its failure. */
  IOException failure(String step, IOException failure) {
    if (state.get() != MISSED) return failure;
    SocketTimeoutException timeout = new SocketTimeoutException(step + " timed out");
    timeout.initCause(failure);
    return timeout;
  }

  @Override
  public long deadline() {
    return deadline;
  }

  /** Met, or the socket was closed for another reason (the connect failed, or Paho gave up). */
  @Override
  public boolean isDone() {
    return state.get() != RUNNING || socket.isClosed();
  }

  @Override
  public void timeOut() {
    if (!state.compareAndSet(RUNNING, MISSED)) return;
    try {
      socket.close();
    } catch (IOException e) {
      // closed anyway: the step waiting on it fails either way
    }
  }
}
