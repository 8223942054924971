package io.thingstorm.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a program from a Debian package for a test that talks to it. A missing program fails the
 * test with the package to install: a test that cannot run must not pass silently.
 */
public final class DebianTool {
  private DebianTool() {}

  public static Path require(String command, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin:/usr/local/sbin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) return candidate;
    }
    throw new AssertionError("this test needs '" + command + "' from the Debian package '" + debianPackage
        + "': apt-get install " + debianPackage + " (.ci/run installs it)");
  }
}
