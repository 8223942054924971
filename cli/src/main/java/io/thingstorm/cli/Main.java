package io.thingstorm.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/thingstorm}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ConsoleLogging.install(OneLineErrors.debugFromEnvironment());
    System.exit(ThingstormCommand.execute(ThingstormCommand.commandLine(), args));
  }
}
