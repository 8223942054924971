package io.thingstorm.client.tls;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The TCP socket beneath the refusal probe's TLS: a write that fails is dropped, not thrown, so the
 * TLS client goes on to read what the server said. A server that refuses the thing's certificate
 * sends its alert and closes at once; the JDK, still writing the rest of its flight (under TLS 1.2:
 * key exchange, CertificateVerify, Finished), then hits a reset and reports a broken pipe, with the
 * alert unread in the receive buffer. Reading on, it gets the alert (unknown CA, expired, ...), as
 * {@code openssl s_client} does. A server that said nothing still ends in a reset or end of stream.
 */
final class ProbeSocket extends Socket {
  private OutputStream out;

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) out = new DroppingFailedWrites(super.getOutputStream());
    return out;
  }

  private static final class DroppingFailedWrites extends FilterOutputStream {
    private boolean failed;

    DroppingFailedWrites(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failed) return;
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failed = true; // the server has hung up; what it said before is still to be read
      }
    }

    @Override
    public void flush() throws IOException {
      if (failed) return;
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
      }
    }
  }
}
