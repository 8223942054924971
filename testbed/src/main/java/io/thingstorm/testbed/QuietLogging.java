package io.thingstorm.testbed;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ's jar carries a logback.xml that logs its start-up at INFO on stdout. A testbed runs inside
 * the CLI and the tests, so it replaces that with its own: warnings and errors only, on stderr. Any
 * other configuration (a {@code -Dlogback.configurationFile}, another logback.xml first on the class
 * path) is left alone.
 */
final class QuietLogging {
  private static boolean done;

  private QuietLogging() {}

  static synchronized void apply() {
    if (done || System.getProperty("logback.configurationFile") != null) return;
    done = true;
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    URL current = ConfigurationWatchListUtil.getMainWatchURL(context);
    if (current != null && !current.toString().contains("hivemq-community-edition")) return;
    URL config = QuietLogging.class.getResource("logback.xml");
    if (config == null) return;
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      // Logging stays as logback left it: noisy, not broken.
    }
  }
}
