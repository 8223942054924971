package io.thingstorm.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real mosquitto broker for a test: an mTLS listener ({@code require_certificate},
 * {@code use_identity_as_username}) and a plain listener for {@code mosquitto_sub}. On loopback by
 * default; {@link Builder#namespace} runs it inside a {@link NetworkNamespace}, its TLS listener on
 * the namespace's address and the plain one on the namespace's own loopback (a clean path for a
 * subscriber run there). {@link #stop} and {@link #restart} take it away and bring it back on the
 * same ports.
 */
public final class Mosquitto implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private final String tlsAddress;
  public final int tlsPort;
  public final int plainPort;
  private final NetworkNamespace namespace;
  private Process process;

  private Mosquitto(List<String> command, Path log, String tlsAddress, int tlsPort, int plainPort, NetworkNamespace namespace) {
    this.command = command;
    this.log = log;
    this.tlsAddress = tlsAddress;
    this.tlsPort = tlsPort;
    this.plainPort = plainPort;
    this.namespace = namespace;
  }

  /** Starts mosquitto with the given CA bundle and server certificate and key. */
  public static Mosquitto start(Path dir, Path caFile, Path serverCert, Path serverKey) {
    return start(dir, caFile, serverCert, serverKey, "");
  }

  public static Mosquitto start(Path dir, Path caFile, Path serverCert, Path serverKey, String extraTlsListenerLines) {
    return builder(dir, caFile, serverCert, serverKey).tlsListenerLines(extraTlsListenerLines).start();
  }

  public static Builder builder(Path dir, Path caFile, Path serverCert, Path serverKey) {
    return new Builder(dir, caFile, serverCert, serverKey);
  }

  /** Builds a broker: where it runs, and more lines for its configuration. */
  public static final class Builder {
    private final Path dir;
    private final Path caFile;
    private final Path serverCert;
    private final Path serverKey;
    private String tlsListenerLines = "";
    private final List<String> globalLines = new ArrayList<>();
    private NetworkNamespace namespace;

    private Builder(Path dir, Path caFile, Path serverCert, Path serverKey) {
      this.dir = dir;
      this.caFile = caFile;
      this.serverCert = serverCert;
      this.serverKey = serverKey;
    }

    /** Lines for the TLS listener's section. */
    public Builder tlsListenerLines(String lines) {
      this.tlsListenerLines = lines;
      return this;
    }

    /** A line before the listeners, such as {@code persistence true} or {@code max_connections -1}. */
    public Builder globalLine(String line) {
      globalLines.add(line);
      return this;
    }

    /** Keeps sessions and queued messages across {@link #restart} in a folder of {@code dir}. */
    public Builder persistent() {
      Path store = dir.resolve("mosquitto-store-" + System.nanoTime());
      try {
        Files.createDirectories(store);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      globalLines.add("persistence true");
      globalLines.add("persistence_location " + store.toAbsolutePath() + "/");
      return this;
    }

    /** Runs the broker inside the namespace (it must be left open until the broker is closed). */
    public Builder namespace(NetworkNamespace namespace) {
      this.namespace = namespace;
      return this;
    }

    public Mosquitto start() {
      Path binary = DebianTool.require("mosquitto", "mosquitto");
      int tlsPort = FreePort.next();
      int plainPort = FreePort.next();
      String tlsAddress = namespace == null ? "127.0.0.1" : namespace.address();
      Path config = dir.resolve("mosquitto-" + tlsPort + ".conf");
      Path log = dir.resolve("mosquitto-" + tlsPort + ".log");
      List<String> lines = new ArrayList<>(List.of(
          // Run as root (CI), mosquitto would drop to the "mosquitto" user and lose the owner-only key.
          "user " + System.getProperty("user.name"),
          "per_listener_settings true",
          "log_dest stderr",
          "log_type error",
          "log_type warning",
          "log_type notice",
          "log_type information"));
      lines.addAll(globalLines);
      lines.addAll(List.of(
          "listener " + plainPort + " 127.0.0.1",
          "allow_anonymous true",
          "listener " + tlsPort + " " + tlsAddress,
          "cafile " + caFile.toAbsolutePath(),
          "certfile " + serverCert.toAbsolutePath(),
          "keyfile " + serverKey.toAbsolutePath(),
          "require_certificate true",
          "use_identity_as_username true",
          "allow_anonymous false",
          tlsListenerLines,
          ""));
      try {
        Files.writeString(config, String.join("\n", lines));
      } catch (IOException e) {
        throw new AssertionError("cannot write mosquitto's configuration: " + e.getMessage(), e);
      }
      List<String> command = List.of(binary.toString(), "-c", config.toString());
      if (namespace != null) command = namespace.command(command);
      Mosquitto broker = new Mosquitto(command, log, tlsAddress, tlsPort, plainPort, namespace);
      broker.restart();
      return broker;
    }
  }

  /** Starts the broker (again) on its ports, and waits until its TLS listener accepts. */
  public synchronized void restart() {
    if (process != null && process.isAlive()) throw new IllegalStateException("mosquitto is running");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start mosquitto: " + e.getMessage(), e);
    }
    try {
      if (namespace == null) FreePort.awaitListening(plainPort, Duration.ofSeconds(10));
      awaitListening(Duration.ofSeconds(10));
    } catch (AssertionError e) {
      close();
      throw new AssertionError(e.getMessage() + "; mosquitto said: " + log(), e);
    }
  }

  private void awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("mosquitto exited with " + process.exitValue());
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(tlsAddress, tlsPort), 500);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
    throw new AssertionError("nothing listens on " + tlsAddress + ":" + tlsPort + " after " + timeout);
  }

  /** Where the TLS listener is: 127.0.0.1, or the namespace's address. */
  public String tlsAddress() {
    return tlsAddress;
  }

  /** The broker's process id (inside a namespace: of {@code ip netns exec}, which execs mosquitto). */
  public synchronized long pid() {
    return process.pid();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Stops the broker as a shutdown would (SIGTERM: a persistent one saves its sessions). */
  public synchronized void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
