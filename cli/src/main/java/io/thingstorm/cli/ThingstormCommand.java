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

  /** A command line with thingstorm's error handling: one line per error, never a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ThingstormCommand());
    cl.setExecutionExceptionHandler(new OneLineErrors());
    cl.setParameterExceptionHandler(new OneLineErrors());
    return cl;
  }
}
