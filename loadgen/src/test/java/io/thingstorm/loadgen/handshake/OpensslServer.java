package io.thingstorm.loadgen.handshake;

import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code openssl s_server} on loopback that requires a client certificate ({@code -Verify 1};
 * {@code -verify_return_error}, else it only logs a certificate from an unknown CA and goes on).
 * It prints "Reused session-id" for each resumed handshake: the server's own count to check the
 * client's resumption detection against.
 */
public final class OpensslServer implements AutoCloseable {
  public final int port;
  private final Process process;
  private final Path log;

  private OpensslServer(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  public static OpensslServer start(Path dir, Path caFile, Path cert, Path key, String... extra) {
    Path openssl = DebianTool.require("openssl", "openssl");
    int port = FreePort.next();
    Path log = dir.resolve("s_server-" + port + ".log");
    List<String> command = new ArrayList<>(List.of(openssl.toString(), "s_server", "-accept", "127.0.0.1:" + port,
        "-cert", cert.toString(), "-key", key.toString(), "-CAfile", caFile.toString(), "-Verify", "1", "-verify_return_error"));
    command.addAll(List.of(extra));
    try {
      // stdin stays an open pipe: s_server reads it, and would stop at its end.
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      OpensslServer server = new OpensslServer(port, process, log);
      try {
        FreePort.awaitListening(port, Duration.ofSeconds(10));
      } catch (AssertionError e) {
        server.close();
        throw new AssertionError(e.getMessage() + "; s_server said: " + server.log(), e);
      }
      return server;
    } catch (IOException e) {
      throw new AssertionError("cannot start openssl s_server: " + e.getMessage(), e);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** How many handshakes the server itself says it resumed. */
  long reusedSessions() {
    return log().lines().filter(line -> line.contains("Reused session-id")).count();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
