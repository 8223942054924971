package io.thingstorm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real mosquitto broker on loopback for a test: an mTLS listener ({@code require_certificate},
 * {@code use_identity_as_username}) and a plain listener for {@code mosquitto_sub}.
 */
public final class Mosquitto implements AutoCloseable {
  private final Process process;
  private final Path log;
  public final int tlsPort;
  public final int plainPort;

  private Mosquitto(Process process, Path log, int tlsPort, int plainPort) {
    this.process = process;
    this.log = log;
    this.tlsPort = tlsPort;
    this.plainPort = plainPort;
  }

  /** Starts mosquitto with the given CA bundle and server certificate and key. */
  public static Mosquitto start(Path dir, Path caFile, Path serverCert, Path serverKey) {
    return start(dir, caFile, serverCert, serverKey, "");
  }

  public static Mosquitto start(Path dir, Path caFile, Path serverCert, Path serverKey, String extraTlsListenerLines) {
    Path binary = DebianTool.require("mosquitto", "mosquitto");
    int tlsPort = FreePort.next();
    int plainPort = FreePort.next();
    Path config = dir.resolve("mosquitto-" + tlsPort + ".conf");
    Path log = dir.resolve("mosquitto-" + tlsPort + ".log");
    String text = String.join("\n",
        // Run as root (CI), mosquitto would drop to the "mosquitto" user and lose the owner-only key.
        "user " + System.getProperty("user.name"),
        "per_listener_settings true",
        "log_dest stderr",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_type information",
        "listener " + plainPort + " 127.0.0.1",
        "allow_anonymous true",
        "listener " + tlsPort + " 127.0.0.1",
        "cafile " + caFile.toAbsolutePath(),
        "certfile " + serverCert.toAbsolutePath(),
        "keyfile " + serverKey.toAbsolutePath(),
        "require_certificate true",
        "use_identity_as_username true",
        "allow_anonymous false",
        extraTlsListenerLines,
        "");
    try {
      Files.writeString(config, text);
      Process process = new ProcessBuilder(List.of(binary.toString(), "-c", config.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Mosquitto broker = new Mosquitto(process, log, tlsPort, plainPort);
      try {
        FreePort.awaitListening(plainPort, Duration.ofSeconds(10));
        FreePort.awaitListening(tlsPort, Duration.ofSeconds(10));
      } catch (AssertionError e) {
        broker.close();
        throw new AssertionError(e.getMessage() + "; mosquitto said: " + broker.log(), e);
      }
      return broker;
    } catch (IOException e) {
      throw new AssertionError("cannot start mosquitto: " + e.getMessage(), e);
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
