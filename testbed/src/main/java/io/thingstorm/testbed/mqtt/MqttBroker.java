package io.thingstorm.testbed.mqtt;

import com.codahale.metrics.Counter;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.thingstorm.testbed.TestbedException;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.rules.AccessRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ CE, embedded: MQTT 3.1.1 and 5 over TLS (client certificate REQUIRED) and over TLS
 * WebSockets on {@code /mqtt}, in-memory persistence, with the platform's rules as an extension.
 * HiveMQ has no configuration API, so this writes its {@code config.xml} into a private work folder.
 */
public final class MqttBroker implements AutoCloseable {
  private final Settings settings;
  private final PlatformExtension extension;
  private final HandshakeFailures handshakeFailures;
  private final BrokerPublisher publisher;
  private EmbeddedHiveMQ hivemq;

  /** Where and how the broker listens; stores are PKCS#12 files (HiveMQ reads them as its "JKS"). */
  public record Settings(
      Path workDir,
      String bindAddress,
      int mqttPort,
      int wssPort,
      Path keyStore,
      Path trustStore,
      String storePassword,
      boolean tls12Only,
      int maxPacketSize) {}

  public MqttBroker(Settings settings, AccessRules rules, TestbedCounters counters) {
    this.settings = settings;
    this.extension = new PlatformExtension(rules, counters);
    this.handshakeFailures = new HandshakeFailures(counters, settings.mqttPort(), settings.wssPort());
    this.publisher = new BrokerPublisher(extension.publishService());
  }

  public void start() {
    Path conf = settings.workDir().resolve("conf");
    Path data = settings.workDir().resolve("data");
    Path extensions = settings.workDir().resolve("extensions");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(data);
      Files.createDirectories(extensions);
      Files.writeString(conf.resolve("config.xml"), configXml());
    } catch (IOException e) {
      throw new TestbedException("cannot write the broker's configuration into " + conf + ": " + e.getMessage(), e);
    }
    // Nothing is persisted: waiting for persistence to drain on stop only costs seconds.
    InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(0);
    hivemq = EmbeddedHiveMQ.builder()
        .withConfigurationFolder(conf)
        .withDataFolder(data)
        .withExtensionsFolder(extensions)
        // HiveMQ would configure logback its own way (INFO on the console); the testbed's logback.xml rules.
        .withoutLoggingBootstrap()
        .withEmbeddedExtension(EmbeddedExtension.builder()
            .withId("thingstorm-testbed")
            .withName("thingstorm testbed rules")
            .withVersion("1")
            .withExtensionMain(extension)
            .build())
        .build();
    handshakeFailures.attach();
    try {
      hivemq.start().get(60, TimeUnit.SECONDS);
      extension.publishService().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      close();
      throw new TestbedException("the MQTT broker did not start: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
    } catch (TimeoutException e) {
      close();
      throw new TestbedException("the MQTT broker did not start within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new TestbedException("interrupted while starting the MQTT broker", e);
    }
  }

  /**
   * Messages the broker dropped (a subscriber's queue full, 1,000 per client by default, or a QoS 0
   * message to a client that could not take it), from HiveMQ's own metric. It drops silently: a load
   * run that compares sent and received messages needs this to tell loss from delay. -1 when HiveMQ
   * has no such metric (another version).
   */
  public long droppedMessages() {
    return counter("com.hivemq.messages.dropped.count");
  }

  /**
   * PUBLISH packets the broker has sent to its clients (the subscribers), from HiveMQ's own metric;
   * -1 when HiveMQ has no such metric (another version).
   */
  public long forwardedMessages() {
    return counter("com.hivemq.messages.outgoing.publish.count");
  }

  /** One of HiveMQ's counters: 0 before the broker runs, -1 when this HiveMQ has no such counter. */
  private long counter(String name) {
    EmbeddedHiveMQ running = hivemq;
    if (running == null) return 0;
    Counter counter = running.getMetricRegistry().getCounters().get(name);
    return counter == null ? -1 : counter.getCount();
  }

  /** Drops the live MQTT connections of a thing revoked from the registry (DISCONNECT 0x87 under MQTT 5). */
  public void disconnectThing(String thingId) {
    if (hivemq != null) extension.disconnectThing(thingId);
  }

  /** Publishes into the broker as the platform's adapters do; publishes wait until it has started. */
  public BrokerPublisher publisher() {
    return publisher;
  }

  @Override
  public void close() {
    EmbeddedHiveMQ running = hivemq;
    hivemq = null;
    if (running == null) return;
    handshakeFailures.detach();
    try {
      running.stop().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Stopping is best effort: the process or test is ending anyway.
    } finally {
      try {
        running.close();
      } catch (ExecutionException e) {
        // already stopped or failed to stop: nothing more to do
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  String configXml() {
    String tls = """
              <tls>
        %s          <keystore>
                  <path>%s</path>
                  <password>%s</password>
                  <private-key-password>%s</private-key-password>
                </keystore>
                <truststore>
                  <path>%s</path>
                  <password>%s</password>
                </truststore>
                <client-authentication-mode>REQUIRED</client-authentication-mode>
              </tls>
        """.formatted(
        settings.tls12Only() ? "          <protocols><protocol>TLSv1.2</protocol></protocols>\n" : "",
        xml(settings.keyStore().toAbsolutePath().toString()), xml(settings.storePassword()), xml(settings.storePassword()),
        xml(settings.trustStore().toAbsolutePath().toString()), xml(settings.storePassword()));
    return """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tls-tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
              <name>mqtts</name>
        %s    </tls-tcp-listener>
            <tls-websocket-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
              <name>mqtt-wss</name>
              <path>/mqtt</path>
              <subprotocols>
                <subprotocol>mqttv3.1</subprotocol>
                <subprotocol>mqtt</subprotocol>
              </subprotocols>
              <allow-extensions>true</allow-extensions>
        %s    </tls-websocket-listener>
          </listeners>
          <mqtt>
            <packets>
              <max-packet-size>%d</max-packet-size>
            </packets>
            <queued-messages>
              <max-queue-size>%d</max-queue-size>
            </queued-messages>
          </mqtt>
          <persistence>
            <mode>in-memory</mode>
          </persistence>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
        </hivemq>
        """.formatted(settings.mqttPort(), xml(settings.bindAddress()), tls, settings.wssPort(), xml(settings.bindAddress()), tls,
            settings.maxPacketSize(), MAX_QUEUED_MESSAGES);
  }

  /**
   * Messages HiveMQ queues for one subscriber that has fallen behind. Its default, 1,000, drops the
   * rest without a word, so a burst from a fleet reached the run's subscriber as a "loss" the
   * platform never made; 100,000 messages of a few hundred bytes stay within tens of megabytes.
   */
  static final int MAX_QUEUED_MESSAGES = 100_000;

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
