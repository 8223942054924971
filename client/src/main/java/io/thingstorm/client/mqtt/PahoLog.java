package io.thingstorm.client.mqtt;

import java.util.ResourceBundle;

/**
 * Paho's own log, switched off at its source. Paho makes a logger for every token, which is one per
 * message published: a class lookup, a resource bundle lookup and a java.util.logging lookup, about
 * half of what making the token costs. Where that log is not wanted anyway (the command line shows
 * it only with {@code --debug}), {@link #switchOff()} gives Paho a logger that records nothing and
 * costs almost nothing to make. {@link #switchOn()} brings back Paho's java.util.logging one.
 */
public final class PahoLog {
  private PahoLog() {}

  /** Tokens and clients made from now on log nothing, whatever java.util.logging's levels say. */
  public static void switchOff() {
    org.eclipse.paho.client.mqttv3.logging.LoggerFactory.setLogger(Silent.class.getName());
    org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(Silent.class.getName());
  }

  /** Paho logs through java.util.logging again (its default). */
  public static void switchOn() {
    org.eclipse.paho.client.mqttv3.logging.LoggerFactory.setLogger(null);
    org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(null);
  }

  /** A logger for both of Paho's clients, whose logger interfaces are alike; Paho makes it by reflection. */
  public static final class Silent implements org.eclipse.paho.client.mqttv3.logging.Logger, org.eclipse.paho.mqttv5.client.logging.Logger {
    public Silent() {}

    @Override public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceName) {}
    @Override public void setResourceName(String logContext) {}
    @Override public boolean isLoggable(int level) {
      return false;
    }
    @Override public void severe(String sourceClass, String sourceMethod, String msg) {}
    @Override public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void warning(String sourceClass, String sourceMethod, String msg) {}
    @Override public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void info(String sourceClass, String sourceMethod, String msg) {}
    @Override public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void config(String sourceClass, String sourceMethod, String msg) {}
    @Override public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void fine(String sourceClass, String sourceMethod, String msg) {}
    @Override public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void finer(String sourceClass, String sourceMethod, String msg) {}
    @Override public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void finest(String sourceClass, String sourceMethod, String msg) {}
    @Override public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {}
    @Override public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {}
    @Override public String formatMessage(String msg, Object[] inserts) {
      return msg;
    }
    @Override public void dumpTrace() {}
  }
}
