package io.thingstorm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command; it only wires the subcommands of each module. */
@Command(
    name = "thingstorm",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "mTLS device simulation for IoT platforms: certificates, a reference client, a testbed and a load generator.",
    subcommands = {
      CommandLine.HelpCommand.class,
      CertsCommand.class,
      DeviceCommand.class,
      SenmlCommand.class,
      TestbedCommand.class,
      RunCommand.class,
      HandshakeCommand.class,
      ReportCommand.class,
    })
public final class ThingstormCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Runs one command and flushes what it printed: picocli's writers are buffered and flush only at
   * a line's end, so a command whose last words end without one would otherwise lose them at exit.
   */
  static int execute(CommandLine cl, String... args) {
    int exit = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    return exit;
  }

  /** A command line with thingstorm's error handling: one line per error, never a stack trace. */
  public static CommandLine commandLine() {
    return commandLine(OneLineErrors.debugFromEnvironment());
  }

  /** The same, with stack traces after the line when {@code debug} (THINGSTORM_DEBUG=1). */
  static CommandLine commandLine(boolean debug) {
    CommandLine cl = new CommandLine(new ThingstormCommand());
    OneLineErrors errors = new OneLineErrors(debug);
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    return cl;
  }
}
