package io.thingstorm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and a non-zero exit: 2 for a usage error, 1 for a
 * failure while running. THINGSTORM_DEBUG=1 adds the stack trace for developers.
 */
final class OneLineErrors
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  static final int USAGE = 2;
  static final int FAILED = 1;

  private final boolean debug;

  /** With {@code debug} (THINGSTORM_DEBUG=1), failures also print their stack trace. */
  OneLineErrors(boolean debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println("thingstorm: " + describe(e));
    if (debug) e.printStackTrace(err);
    err.flush();
    return exitCodeOf(e);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("thingstorm: " + describe(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return USAGE;
  }

  private static int exitCodeOf(Exception e) {
    return e instanceof UsageError ? USAGE : FAILED;
  }

  /** One line, whatever the exception: its message, or its kind when it has none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = "unexpected " + e.getClass().getSimpleName()
          + (e.getCause() != null ? ": " + describe(e.getCause()) : "");
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  static boolean debugFromEnvironment() {
    return "1".equals(System.getenv("THINGSTORM_DEBUG"));
  }
}
