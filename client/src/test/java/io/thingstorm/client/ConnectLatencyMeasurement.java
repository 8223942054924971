package io.thingstorm.client;

import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.mqtt.Mqtt5Transport;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Not a test: the wall time of N sequential MQTT connects (connect() to CONNACK, then close) of one
 * device against a local mosquitto, after 10 unmeasured ones.
 *
 * <pre>java -cp ... io.thingstorm.client.ConnectLatencyMeasurement [connects] [mqtt3|mqtt5] [jdk|conscrypt]</pre>
 */
public final class ConnectLatencyMeasurement {
  public static void main(String[] args) throws Exception {
    int connects = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Function<TransportConfig, Transport> kind = args.length > 1 && args[1].equals("mqtt5") ? Mqtt5Transport::new : Mqtt3Transport::new;
    TlsProvider provider = args.length > 2 ? TlsProvider.parse(args[2]) : TlsProvider.JDK;
    Path dir = Files.createTempDirectory("thingstorm-connect-latency");
    TestPki pki = TestPki.create(dir);
    ThingIdentity identity = Things.identity(pki, "thing-latency");
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).build();
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      TransportConfig config = TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort))
          .identity(identity).tls(tls.forIdentity(identity)).clientId("latency").build();
      for (int i = 0; i < 10; i++) connectOnce(kind, config);
      double[] millis = new double[connects];
      for (int i = 0; i < connects; i++) millis[i] = connectOnce(kind, config);
      Arrays.sort(millis);
      System.out.printf("%d sequential connects: p50 %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms%n", connects,
          millis[connects / 2], millis[connects * 9 / 10], millis[0], millis[connects - 1]);
    }
  }

  private static double connectOnce(Function<TransportConfig, Transport> kind, TransportConfig config) {
    try (Transport transport = kind.apply(config)) {
      long start = System.nanoTime();
      transport.connect();
      return (System.nanoTime() - start) / 1e6;
    }
  }
}
