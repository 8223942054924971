package io.thingstorm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a JVM of its own, with the flags bin/thingstorm passes: for tests of signals and of several processes. */
final class CliProcess {
  private CliProcess() {}

  /** A process builder for {@code thingstorm ARGS}; JNA unpacks into {@code jnaDir}. */
  static ProcessBuilder of(Path jnaDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Djna.tmpdir=" + jnaDir);
    if (Runtime.version().feature() >= 24) command.add("--sun-misc-unsafe-memory-access=allow");
    if (Runtime.version().feature() >= 25) command.add("-XX:+UseCompactObjectHeaders");
    command.add("--add-opens=java.base/sun.security.ssl=ALL-UNNAMED"); // as the jar's manifest says
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
