package io.thingstorm.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** One in-process run of the thingstorm command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    return run(ThingstormCommand.commandLine(), args);
  }

  /** {@code args} and then {@code more}: one command line, then variants of it. */
  static String[] plus(String[] args, String... more) {
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /** As with THINGSTORM_DEBUG=1: failures print their stack trace after the line. */
  static CliRun debug(String... args) {
    return run(ThingstormCommand.commandLine(true), args);
  }

  private static CliRun run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // Buffered as picocli's own writers to System.out and System.err are, so that output left unflushed is missed here too.
    cl.setOut(new PrintWriter(new BufferedWriter(out), true));
    cl.setErr(new PrintWriter(new BufferedWriter(err), true));
    int exit = ThingstormCommand.execute(cl, args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
