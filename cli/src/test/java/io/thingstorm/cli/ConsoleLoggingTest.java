package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
  private final PrintStream stderr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @AfterEach
  void restore() throws Exception {
    System.setErr(stderr);
    LogManager.getLogManager().readConfiguration();
    io.thingstorm.client.mqtt.PahoLog.switchOn();
  }

  @Test
  void aLibraryWarningWithAnExceptionIsOneLineWithoutATrace() {
    install(false);
    System.getLogger("io.thingstorm.client.ThingIdentity")
        .log(System.Logger.Level.WARNING, "certificate of thing b7f3**** expires in 12 days", new IllegalStateException("boom"));
    String err = captured.toString(StandardCharsets.UTF_8);
    assertThat(err.lines()).containsExactly(
        "thingstorm: warning: certificate of thing b7f3**** expires in 12 days (java.lang.IllegalStateException: boom)");
  }

  @Test
  void pahosOwnSevereLogIsSilentUnlessDebugging() {
    install(false);
    java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client.internal.CommsSender")
        .log(java.util.logging.Level.SEVERE, "Connection lost", new java.io.IOException("Broken pipe"));
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();

    captured.reset();
    install(true);
    java.util.logging.Logger.getLogger("org.eclipse.paho.mqttv5.client.internal.CommsSender")
        .log(java.util.logging.Level.SEVERE, "Connection lost", new java.io.IOException("Broken pipe"));
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .startsWith("thingstorm: error: Connection lost (java.io.IOException: Broken pipe)")
        .contains("\tat "); // THINGSTORM_DEBUG=1: the trace is for developers
  }

  /** Off, Paho's log is off at Paho's end too: its tokens, one per message, then make no JUL logger. */
  @Test
  void pahoMakesSilentLoggersUnlessDebugging() {
    String catalog = org.eclipse.paho.client.mqttv3.logging.LoggerFactory.MQTT_CLIENT_MSG_CAT;
    install(false);
    assertThat(org.eclipse.paho.client.mqttv3.logging.LoggerFactory.getLogger(catalog, "Token"))
        .isInstanceOf(io.thingstorm.client.mqtt.PahoLog.Silent.class);
    assertThat(org.eclipse.paho.mqttv5.client.logging.LoggerFactory.getLogger(
        org.eclipse.paho.mqttv5.client.logging.LoggerFactory.MQTT_CLIENT_MSG_CAT, "Token"))
        .isInstanceOf(io.thingstorm.client.mqtt.PahoLog.Silent.class);

    install(true);
    assertThat(org.eclipse.paho.client.mqttv3.logging.LoggerFactory.getLogger(catalog, "Token"))
        .isInstanceOf(org.eclipse.paho.client.mqttv3.logging.JSR47Logger.class);
  }

  private void install(boolean debug) {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    ConsoleLogging.install(debug);
  }
}
