package io.thingstorm.cli;

import io.thingstorm.client.mqtt.PahoLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the libraries log reaches the terminal as one line each ({@code thingstorm: warning: ...}),
 * never as the JDK's two-line records with a stack trace. Paho's own log is switched off: it reports
 * a dropped connection as SEVERE with a trace, and the client already names that failure itself.
 * Off, it is switched off at Paho's end too ({@link PahoLog}), which spares each message the making
 * of a logger.
 */
final class ConsoleLogging {
  /** JUL holds loggers weakly: a level set on one that nobody keeps would be forgotten. */
  private static final Logger PAHO_V3 = Logger.getLogger("org.eclipse.paho.client.mqttv3");
  private static final Logger PAHO_V5 = Logger.getLogger("org.eclipse.paho.mqttv5");
  /** Its one warning, hostname verification off, each command prints itself, naming the switch that did it. */
  private static final Logger TLS_SETTINGS = Logger.getLogger("io.thingstorm.client.tls.TlsSettings");
  /** Bouncy Castle's JSSE warns of each JDK security-property entry it does not parse: nothing a user can act on. */
  private static final Logger BOUNCY_CASTLE = Logger.getLogger("org.bouncycastle");

  private ConsoleLogging() {}

  static void install(boolean debug) {
    if (System.getProperty("java.util.logging.config.file") != null) return; // the user's own set-up wins
    if (debug) PahoLog.switchOn();
    else PahoLog.switchOff();
    PAHO_V3.setLevel(debug ? Level.INFO : Level.OFF);
    PAHO_V5.setLevel(debug ? Level.INFO : Level.OFF);
    TLS_SETTINGS.setLevel(debug ? Level.ALL : Level.SEVERE);
    BOUNCY_CASTLE.setLevel(debug ? Level.INFO : Level.SEVERE);
    Logger root = LogManager.getLogManager().getLogger("");
    for (var handler : root.getHandlers()) root.removeHandler(handler);
    ConsoleHandler console = new ConsoleHandler(); // stderr
    console.setLevel(debug ? Level.ALL : Level.WARNING);
    console.setFormatter(new OneLine(debug));
    root.addHandler(console);
  }

  private static final class OneLine extends Formatter {
    private final boolean debug;

    OneLine(boolean debug) {
      this.debug = debug;
    }

    @Override
    public String format(LogRecord record) {
      String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error"
          : record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning" : "note";
      String message = formatMessage(record).replaceAll("\\R", " ");
      StringBuilder line = new StringBuilder("thingstorm: ").append(level).append(": ").append(message);
      if (record.getThrown() != null) {
        line.append(" (").append(record.getThrown()).append(')');
        if (debug) {
          StringWriter trace = new StringWriter();
          record.getThrown().printStackTrace(new PrintWriter(trace));
          line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
      }
      return line.append(System.lineSeparator()).toString();
    }
  }
}
