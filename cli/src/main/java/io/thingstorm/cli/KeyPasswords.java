package io.thingstorm.cli;

import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.PasswordSource;
import java.io.Console;

/**
 * Passwords of encrypted keys: a flag, else an environment variable, else a prompt when there is a
 * terminal. Asked for only when a key turns out to be encrypted.
 */
final class KeyPasswords {
  private KeyPasswords() {}

  /** A CA key's password: {@code --ca-password}, else THINGSTORM_CA_PASSWORD, else a prompt. */
  static PasswordSource forCaKey(String flagValue) {
    return from(flagValue, "--ca-password", "THINGSTORM_CA_PASSWORD");
  }

  /** A thing key's password: {@code --key-password}, else THINGSTORM_KEY_PASSWORD, else a prompt. */
  static PasswordSource forThingKey(String flagValue) {
    return from(flagValue, "--key-password", "THINGSTORM_KEY_PASSWORD");
  }

  static PasswordSource from(String flagValue, String flagName, String envName) {
    return source -> {
      if (flagValue != null) return flagValue.toCharArray();
      String env = System.getenv(envName);
      if (env != null && !env.isEmpty()) return env.toCharArray();
      Console console = System.console();
      if (console != null && isTerminal(console)) {
        char[] typed = console.readPassword("Password for %s: ", source);
        if (typed != null && typed.length > 0) return typed;
      }
      throw new CertsException(source + " is an encrypted key: give " + flagName + ", set " + envName + ", or run in a terminal to be asked");
    };
  }

  /**
   * JDK 22 to 24 give a Console when the streams are redirected too (a script, a CI job): asking there
   * would wait on a pipe. Console.isTerminal() came in 22; JDK 21 and 25 give none then.
   */
  private static boolean isTerminal(Console console) {
    try {
      return (boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console is given only for a terminal
    }
  }

  /** A password for keys about to be written, or null for unencrypted keys. */
  static char[] forWriting(String flagValue, String envName) {
    if (flagValue != null) return flagValue.toCharArray();
    if (envName != null) {
      String env = System.getenv(envName);
      if (env == null || env.isEmpty()) throw new CertsException("environment variable " + envName + " is not set");
      return env.toCharArray();
    }
    return null;
  }
}
