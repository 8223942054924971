package io.thingstorm.client.mqtt;

import io.thingstorm.client.ConnectTimings;
import java.io.IOException;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import io.thingstorm.client.tls.ForwardingSslSocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Remembers the socket Paho made, so that the connect's TCP and TLS steps can be timed apart and
 * publishes batched: Paho connects and starts the handshake of the unconnected socket it asks for,
 * which is handed out as a {@link TimedSocket} (which also drops Paho's read timeouts: with its 1 s
 * one, every idle receiver woke each second and threw, 44 % of a core at 10,000 devices).
 */
final class RememberingSocketFactory extends ForwardingSslSocketFactory {
  private final PahoExecutor paho;
  private volatile Socket last;

  /** For the Paho client whose connect tasks run on {@code paho}. */
  RememberingSocketFactory(SSLSocketFactory delegate, PahoExecutor paho) {
    super(delegate);
    this.paho = paho;
  }

  /**
   * A publish is about to be handed to Paho (see {@link PublishBatchingStream}); returns the stream
   * told, to withdraw it from if Paho refuses: the socket may have changed meanwhile.
   */
  PublishBatchingStream announcePublish() {
    PublishBatchingStream output = last instanceof TimedSocket timed ? timed.batching() : null;
    if (output != null) output.announce();
    return output;
  }

  /** The last connect's steps, closed by {@code sessionOpen}; empty if the socket was not timed. */
  Optional<ConnectTimings> timings(long sessionOpen) {
    if (!(last instanceof TimedSocket timed) || timed.tcpStarted() == 0 || timed.tcpConnected() == 0 || timed.handshakeDone() == 0) {
      return Optional.empty();
    }
    return Optional.of(new ConnectTimings(timed.tcpStarted(), timed.tcpConnected(), timed.handshakeDone(), sessionOpen));
  }

  /** Remembers each socket made. */
  @Override
  protected Socket made(Socket socket) {
    last = socket;
    return socket;
  }

  /** The unconnected socket Paho connects itself, handed out as a {@link TimedSocket}. */
  @Override
  public Socket createSocket() throws IOException {
    Socket socket = delegate.createSocket();
    return made(socket instanceof SSLSocket ssl ? new TimedSocket(ssl, paho) : socket);
  }
}
