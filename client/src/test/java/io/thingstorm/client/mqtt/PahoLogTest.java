package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paho's log switched off at its source records nothing, and the client works as before. */
class PahoLogTest {
  @TempDir Path dir;
  private final Logger paho = Logger.getLogger("org.eclipse.paho");
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override public void publish(LogRecord record) {
      records.add(record);
    }
    @Override public void flush() {}
    @Override public void close() {}
  };

  @AfterEach
  void restore() {
    PahoLog.switchOn();
    paho.removeHandler(capture);
    paho.setLevel(null);
  }

  @Test
  void switchedOffPahoLogsNothingWhereJavaLoggingAsksForEverything() {
    TestPki pki = TestPki.create(dir);
    paho.setLevel(Level.ALL);
    paho.addHandler(capture);
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("paho-log", KeyType.EC_P256, 1)).build();
      TransportConfig config = TransportConfig.builder().url(URI.create("mqtts://localhost:" + broker.tlsPort)).identity(thing)
          .tls(TlsSettings.builder().caBundle(pki.caFile()).build().forIdentity(thing)).build();
      for (Function<TransportConfig, Transport> kind : List.<Function<TransportConfig, Transport>>of(Mqtt3Transport::new, Mqtt5Transport::new)) {
        PahoLog.switchOn();
        records.clear();
        connectAndPublish(kind.apply(config));
        assertThat(records).as("Paho's own log, on").isNotEmpty();

        PahoLog.switchOff();
        records.clear();
        connectAndPublish(kind.apply(config));
        assertThat(records).as("Paho's own log, off").isEmpty();
      }
    }
  }

  private static void connectAndPublish(Transport transport) {
    try (transport) {
      transport.connect();
      transport.publish("c1", "temp", "[]".getBytes(StandardCharsets.UTF_8), "application/senml+json", 1, false);
      assertThat(transport.isConnected()).isTrue();
    }
  }
}
