package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How Paho's per-packet write and flush reach the socket. The broker side is in MqttTransportTest. */
class PublishBatchingStreamTest {
  /** Notes each write that reaches the socket, and the flushes. */
  static final class Socket extends ByteArrayOutputStream {
    final List<String> writes = new ArrayList<>();
    int flushes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
      writes.add(new String(b, off, len, StandardCharsets.US_ASCII));
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  static void packet(PublishBatchingStream out, String bytes) throws IOException {
    out.write(bytes.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Test
  void aLonePublishGoesOutAtOnce() throws IOException {
    Socket socket = new Socket();
    PublishBatchingStream out = new PublishBatchingStream(socket);
    out.announce();
    packet(out, "one");
    assertThat(socket.writes).containsExactly("one");
    assertThat(socket.flushes).isEqualTo(1);
    assertThat(out.coming()).isZero();
  }

  @Test
  void publishesAnnouncedTogetherLeaveInOneWrite() throws IOException {
    Socket socket = new Socket();
    PublishBatchingStream out = new PublishBatchingStream(socket);
    out.announce();
    out.announce();
    out.announce();
    packet(out, "one");
    packet(out, "two");
    assertThat(socket.writes).isEmpty();
    packet(out, "three");
    assertThat(socket.writes).containsExactly("onetwothree");
    assertThat(socket.flushes).isEqualTo(1);
  }

  @Test
  void aWithdrawnPublishDoesNotHoldTheOthersBack() throws IOException {
    Socket socket = new Socket();
    PublishBatchingStream out = new PublishBatchingStream(socket);
    out.announce();
    out.announce();
    packet(out, "one");
    out.withdraw(); // Paho refused the second
    assertThat(socket.toString(StandardCharsets.US_ASCII)).isEmpty();
    packet(out, "ping");
    assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("oneping");
    assertThat(out.coming()).isZero();
  }

  @Test
  void anUnannouncedPacketOnlyFlushesEarlier() throws IOException {
    Socket socket = new Socket();
    PublishBatchingStream out = new PublishBatchingStream(socket);
    out.announce();
    out.announce();
    packet(out, "ping"); // counts one off although no publish: the rest goes out sooner, not later
    packet(out, "one");
    assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("pingone");
    packet(out, "two");
    assertThat(socket.toString(StandardCharsets.US_ASCII)).isEqualTo("pingonetwo");
    assertThat(out.coming()).isZero();
  }

  @Test
  void heldBytesNeverExceedOneRecord() throws IOException {
    Socket socket = new Socket();
    PublishBatchingStream out = new PublishBatchingStream(socket);
    int packets = 100;
    for (int i = 0; i < packets; i++) out.announce();
    String body = "x".repeat(1000);
    for (int i = 0; i < packets; i++) packet(out, body);
    assertThat(socket.size()).isEqualTo(packets * body.length());
    assertThat(socket.writes).allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(PublishBatchingStream.MOST_HELD));
    assertThat(socket.writes.size()).isBetween(packets * body.length() / PublishBatchingStream.MOST_HELD, packets / 2);
  }
}
