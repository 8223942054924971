package io.thingstorm.testbed.mqtt;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testbed.counters.TestbedCounters;
import org.slf4j.LoggerFactory;

/**
 * Counts failed TLS handshakes on the broker's listeners. HiveMQ's extension SDK never sees a client
 * that fails the handshake; the only trace is its client-disconnected event ("SSL handshake failed
 * for ... on port: P."), logged at DEBUG. This listens to that one logger, keeps its events off the
 * console, and counts those for this broker's ports. Without logback as the SLF4J binding it counts
 * nothing.
 */
final class HandshakeFailures extends AppenderBase<ILoggingEvent> {
  private static final String EVENT_LOGGER = "event.client-disconnected";

  private final TestbedCounters counters;
  private final String mqttPort;
  private final String wssPort;
  private Logger logger;

  HandshakeFailures(TestbedCounters counters, int mqttPort, int wssPort) {
    this.counters = counters;
    this.mqttPort = "port: " + mqttPort + ".";
    this.wssPort = "port: " + wssPort + ".";
  }

  synchronized void attach() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    setContext(context);
    setName("thingstorm-handshake-failures-" + mqttPort);
    start();
    logger = context.getLogger(EVENT_LOGGER);
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
    logger.addAppender(this);
  }

  synchronized void detach() {
    if (logger != null) {
      logger.detachAppender(this);
      // The last testbed in the process leaves the logger as it found it.
      if (!logger.iteratorForAppenders().hasNext()) {
        logger.setLevel(null);
        logger.setAdditive(true);
      }
    }
    stop();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message == null || !message.contains("SSL handshake failed")) return;
    if (message.endsWith(mqttPort)) counters.refused(Protocol.MQTT, null, Refusal.TLS_FAILURE);
    else if (message.endsWith(wssPort)) counters.refused(Protocol.MQTT_WSS, null, Refusal.TLS_FAILURE);
  }
}
