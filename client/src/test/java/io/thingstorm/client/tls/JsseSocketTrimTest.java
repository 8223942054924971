package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the JDK's TLS socket keeps after its handshake, and what the trim gives back, on a real
 * mosquitto (OpenSSL, which sends TLS 1.3 session tickets). MQTT is spoken by hand here so that
 * the test holds the socket itself. The tests run with {@code sun.security.ssl} opened (the pom's
 * argLine), as {@code bin/thingstorm} runs.
 */
class JsseSocketTrimTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;
  static ThingTls tls;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("trim", KeyType.EC_P256, 90)).build();
    tls = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build().forIdentity(thing);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  @Test
  void theJdksSocketKeepsItsHandshakeBuffersAndTheServersTicketsUntrimmed() throws IOException {
    assertThat(JsseSocketTrim.isAvailable()).as("sun.security.ssl opened to the tests").isTrue();
    try (SSLSocket socket = connect()) {
      InputStream in = socket.getInputStream();
      mqttConnect(socket.getOutputStream(), in, "untrimmed");
      ping(socket.getOutputStream(), in);

      int[] held = JsseSocketTrim.held(socket);
      assertThat(held[0]).as("decrypted data buffer").isEqualTo(4096);
      assertThat(held[1]).as("record buffer").isGreaterThanOrEqualTo(1024);
      assertThat(held[2]).as("session tickets kept as handshake messages").isPositive();
    }
  }

  @Test
  void aTrimmedSocketHoldsSmallBuffersAndNoTicketMessagesAndStillCarriesBigMessages() throws IOException {
    try (SSLSocket socket = connect()) {
      InputStream in = JsseSocketTrim.input(socket);
      OutputStream out = socket.getOutputStream();
      mqttConnect(out, in, "trimmed");
      ping(out, in); // the read for the ping's answer waits: the socket is trimmed first

      assertThat(JsseSocketTrim.held(socket)).containsExactly(JsseSocketTrim.SMALL, JsseSocketTrim.SMALL, 0);

      // A message bigger than any record before: the JDK grows its buffers back, nothing is lost.
      byte[] payload = new byte[20_000];
      new Random(7).nextBytes(payload);
      subscribe(out, in, "trim/back");
      publish(out, "trim/back", payload);
      byte[] received = null;
      boolean acknowledged = false;
      while (received == null || !acknowledged) {
        Packet p = Packet.read(in);
        if (p.type() == 3) received = Arrays.copyOfRange(p.body(), 2 + "trim/back".length() + 2, p.body().length);
        if (p.type() == 4) acknowledged = true;
      }
      assertThat(received).isEqualTo(payload);

      // Buffers are given back once: a device that receives big messages keeps what it grew.
      ping(out, in);
      int[] held = JsseSocketTrim.held(socket);
      assertThat(held[0]).as("a full TLS record").isGreaterThanOrEqualTo(16_384);
      assertThat(held[2]).isZero();
    }
  }

  @Test
  void socketsOfOtherProvidersAreLeftAsTheyAre() throws IOException {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("trim-conscrypt", KeyType.EC_P256, 90)).build();
    ThingTls conscrypt = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.CONSCRYPT).build().forIdentity(thing);
    try (SSLSocket socket = (SSLSocket) conscrypt.socketFactory().createSocket("localhost", broker.tlsPort)) {
      assertThat(JsseSocketTrim.input(socket)).isSameAs(socket.getInputStream());
    }
  }

  static SSLSocket connect() throws IOException {
    SSLSocket socket = (SSLSocket) tls.socketFactory().createSocket("localhost", broker.tlsPort);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    return socket;
  }

  static void mqttConnect(OutputStream out, InputStream in, String clientId) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60});
    string(body, clientId);
    send(out, 0x10, body.toByteArray());
    Packet connack = Packet.read(in);
    assertThat(connack.type()).isEqualTo(2);
    assertThat(connack.body()[1]).as("CONNACK return code").isZero();
  }

  static void ping(OutputStream out, InputStream in) throws IOException {
    send(out, 0xC0, new byte[0]);
    assertThat(Packet.read(in).type()).as("PINGRESP").isEqualTo(13);
  }

  static void subscribe(OutputStream out, InputStream in, String topic) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(new byte[] {0, 1});
    string(body, topic);
    body.write(1);
    send(out, 0x82, body.toByteArray());
    Packet suback = Packet.read(in);
    assertThat(suback.type()).isEqualTo(9);
    assertThat(suback.body()[2]).as("granted QoS").isEqualTo((byte) 1);
  }

  static void publish(OutputStream out, String topic, byte[] payload) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, topic);
    body.write(new byte[] {0, 2});
    body.write(payload);
    send(out, 0x32, body.toByteArray());
  }

  static void string(ByteArrayOutputStream to, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    to.write(b.length >> 8);
    to.write(b.length);
    to.write(b);
  }

  static void send(OutputStream out, int header, byte[] body) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(header);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      packet.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    packet.write(body);
    out.write(packet.toByteArray());
    out.flush();
  }

  record Packet(int type, byte[] body) {
    static Packet read(InputStream stream) throws IOException {
      DataInputStream in = new DataInputStream(stream);
      int header = in.readUnsignedByte();
      int length = 0;
      int shift = 0;
      int digit;
      do {
        digit = in.readUnsignedByte();
        length |= (digit & 0x7F) << shift;
        shift += 7;
      } while ((digit & 0x80) != 0);
      byte[] body = new byte[length];
      in.readFully(body);
      return new Packet(header >> 4, body);
    }
  }
}
