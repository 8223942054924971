package io.thingstorm.benchmarks;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.Device;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.CountsSnapshot;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Messages per second that one device sends over a real loopback mTLS connection to the embedded
 * testbed (HiveMQ CE for MQTT, Jetty for HTTPS and WSS, both checking the client certificate and the
 * platform's rules and counting each message). One connection, one thread, connected once in setup:
 * this is the steady-state cost of a message, not of a connection (see {@link HandshakeBenchmark}).
 *
 * <p>Reading the figure: messages per second. At QoS 1 each publish waits for its PUBACK, so the
 * figure is one over the round trip through client, broker and back; at QoS 0 Paho returns once the
 * message is written, so it is the client's and the socket's cost, bounded by how fast the broker
 * reads. HTTPS is one POST per message on a kept-alive connection (OkHttp), waiting for the 202. WSS
 * (Mainflux's WebSocket adapter) sends one frame per message with no acknowledgement. Client and
 * server share the machine's cores: on 2 cores the figure is the whole system's, not the client's.
 * The payload is a one-record SenML JSON pack (about 70 bytes).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class PublishBenchmark {
  @Param({"mqtt3-qos0", "mqtt3-qos1", "mqtt5-qos0", "mqtt5-qos1", "https", "wss"})
  public String transport;

  private Testbed testbed;
  private Device device;
  private String channel;
  private byte[] payload;
  private int qos;

  @Setup(Level.Trial)
  public void setUp() {
    testbed = LoopbackTestbed.get();
    ThingIdentity thing = LoopbackTestbed.newThing(testbed, KeyType.EC_P256);
    channel = LoopbackTestbed.channelOf(testbed, thing);
    payload = SenmlJson.encode(SenmlCodecBenchmark.typicalPack(1));
    URI url;
    int mqttVersion = 3;
    switch (transport) {
      case "mqtt3-qos0", "mqtt3-qos1", "mqtt5-qos0", "mqtt5-qos1" -> {
        url = testbed.mqttUrl();
        mqttVersion = transport.startsWith("mqtt5") ? 5 : 3;
        qos = transport.endsWith("qos1") ? 1 : 0;
      }
      case "https" -> {
        url = testbed.httpsUrl();
      }
      case "wss" -> {
        url = testbed.wsUrl();
      }
      default -> throw new IllegalArgumentException("transport is mqtt3-qos0|1, mqtt5-qos0|1, https or wss, not " + transport);
    }
    device = Device.builder()
        .url(url)
        .identity(thing)
        .tls(TlsSettings.builder().caBundle(testbed.caFile()).build())
        .mqttVersion(mqttVersion)
        .qos(qos)
        .offlineBuffer(0) // a failure must fail the benchmark, not be buffered and counted as sent
        .ackTimeout(Duration.ofSeconds(10))
        .build();
    device.connect();
    publish();
    // Once: the message must arrive, under this thing's certificate, on this protocol.
    String thingId = thing.thingId();
    CountsSnapshot counts = testbed.awaitCounts(c -> c.thing(thingId).messages() > 0, Duration.ofSeconds(10));
    if (counts.thing(thingId).messages() < 1) {
      throw new IllegalStateException(transport + ": the testbed counted no message from the device");
    }
  }

  @Benchmark
  public Device.Delivery publish() {
    return device.publish(channel, null, payload, SenmlJson.MEDIA_TYPE, qos, false);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (device != null) device.close();
    LoopbackTestbed.release();
  }
}
