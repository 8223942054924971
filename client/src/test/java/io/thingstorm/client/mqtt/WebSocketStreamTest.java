package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.client.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The framing read and written byte for byte, as a server would see it: the live servers (the
 * testbed's WebSocket listener) are in TestbedClientTest; here are the frames servers rarely send.
 */
class WebSocketStreamTest {
  private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

  /** A server's bytes after its answer to the upgrade, which is made to fit the request's key. */
  private record Server(ByteArrayOutputStream fromClient, byte[] frames) {
    WebSocketStream open() throws IOException {
      // The request is written before the answer is read: the answer is made once the key is known.
      ByteArrayOutputStream request = fromClient;
      InputStream answer = new InputStream() {
        private InputStream bytes;

        @Override
        public int read() throws IOException {
          return stream().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return stream().read(b, off, len);
        }

        private InputStream stream() {
          if (bytes == null) {
            Matcher key = KEY.matcher(request.toString(StandardCharsets.US_ASCII));
            assertThat(key.find()).as(request.toString(StandardCharsets.US_ASCII)).isTrue();
            byte[] head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketStream.acceptFor(key.group(1)) + "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + frames.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(frames, 0, all, head.length, frames.length);
            bytes = new ByteArrayInputStream(all);
          }
          return bytes;
        }
      };
      return WebSocketStream.open(answer, fromClient, "broker.test", 443, "/mqtt");
    }
  }

  @Test
  void mqttBytesSplitOverFramesReadAsOneStreamWithPingsAnsweredAndACloseEndingIt() throws IOException {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frames.writeBytes(new byte[] {0x02, 0x02, 0x20, 0x02}); // binary, not FIN: CONNACK's first half
    frames.writeBytes(new byte[] {(byte) 0x89, 0x02, 'h', 'i'}); // ping in between
    frames.writeBytes(new byte[] {(byte) 0x80, (byte) 0x82, 1, 2, 3, 4, 0 ^ 1, 0 ^ 2}); // continuation, masked: 00 00
    frames.writeBytes(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xE8}); // close
    ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    WebSocketStream stream = new Server(fromClient, frames.toByteArray()).open();
    String request = fromClient.toString(StandardCharsets.US_ASCII);
    assertThat(request).startsWith("GET /mqtt HTTP/1.1\r\nHost: broker.test\r\n").contains("Sec-WebSocket-Protocol: mqtt\r\n")
        .endsWith("\r\n\r\n");
    fromClient.reset();

    assertThat(stream.input().readAllBytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
    byte[] pong = fromClient.toByteArray();
    assertThat(pong).hasSize(2 + 4 + 2);
    assertThat(pong[0]).isEqualTo((byte) 0x8A);
    assertThat(pong[1]).as("masked, 2 bytes").isEqualTo((byte) 0x82);
    assertThat(new byte[] {(byte) (pong[6] ^ pong[2]), (byte) (pong[7] ^ pong[3])}).containsExactly('h', 'i');
  }

  @Test
  void eachFlushIsOneMaskedBinaryFrame() throws IOException {
    ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    WebSocketStream stream = new Server(fromClient, new byte[0]).open();
    fromClient.reset();
    byte[] publish = new byte[300];
    for (int i = 0; i < publish.length; i++) publish[i] = (byte) i;

    stream.output().write(publish, 0, 100);
    stream.output().write(publish, 100, 200);
    stream.output().flush();
    stream.output().flush(); // nothing written since: no empty frame

    byte[] frame = fromClient.toByteArray();
    assertThat(frame).hasSize(4 + 4 + 300);
    assertThat(frame[0]).isEqualTo((byte) 0x82);
    assertThat(frame[1]).isEqualTo((byte) (0x80 | 126));
    assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(300);
    for (int i = 0; i < 300; i++) assertThat((byte) (frame[8 + i] ^ frame[4 + (i & 3)])).isEqualTo(publish[i]);
  }

  @Test
  void anUpgradeRefusedIsNamedWithTheServersStatusLine() {
    byte[] notFound = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> WebSocketStream.open(new ByteArrayInputStream(notFound), new ByteArrayOutputStream(), "h", 8443, "/mqtt"))
        .isInstanceOfSatisfying(WebSocketUpgradeFailed.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.HTTP_FORBIDDEN))
        .hasMessage("the WebSocket upgrade of /mqtt was refused: HTTP/1.1 403 Forbidden");
    assertThatThrownBy(() -> WebSocketStream.open(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), "h", 8883, "/mqtt"))
        .isInstanceOfSatisfying(WebSocketUpgradeFailed.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CONNECTION_LOST))
        .hasMessageContaining("instead of answering the WebSocket upgrade");
    byte[] wrongKey = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> WebSocketStream.open(new ByteArrayInputStream(wrongKey), new ByteArrayOutputStream(), "h", 8443, "/mqtt"))
        .isInstanceOfSatisfying(WebSocketUpgradeFailed.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR));
  }
}
