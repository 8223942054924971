package io.thingstorm.client.mqtt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The socket's input as Paho's receiver reads it: a read that fails while Paho's connect task still
 * runs waits for that task to end before it throws.
 *
 * <p>Why: Paho 1.2.5 (v3 and v5) starts its receiver, then its sender and callback loops, and waits
 * in each loop's {@code start} until the loop says it runs. A receiver whose first read fails (a TLS
 * 1.3 server refuses the client's certificate with an alert just after the handshake) shuts the
 * connection down and stops those loops meanwhile; a {@code start} that has not yet looked then
 * waits forever, waking every 100 ms. Held back until the connect task has started everything,
 * the failure stops loops that run. Reads that succeed pay nothing.
 */
final class AfterConnectTaskInput extends FilterInputStream {
  /** What the task does after the handshake takes milliseconds; one stuck otherwise is not waited for longer. */
  static final Duration HOLD = Duration.ofSeconds(5);

  private final PahoExecutor paho;

  AfterConnectTaskInput(InputStream in, PahoExecutor paho) {
    super(in);
    this.paho = paho;
  }

  @Override
  public int read() throws IOException {
    try {
      return in.read();
    } catch (IOException e) {
      throw afterConnectTask(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      throw afterConnectTask(e);
    }
  }

  private IOException afterConnectTask(IOException failure) {
    try {
      paho.awaitConnectTask(HOLD);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return failure;
  }
}
