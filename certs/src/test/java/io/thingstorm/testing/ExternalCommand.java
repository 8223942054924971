package io.thingstorm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real program (openssl, mosquitto_pub, curl) to completion, with a time limit. */
public final class ExternalCommand {
  /** What the program did. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String output() {
      return stdout + stderr;
    }
  }

  private ExternalCommand() {}

  public static Result run(List<String> command) {
    return run(command, null, Duration.ofSeconds(30));
  }

  public static Result run(List<String> command, byte[] stdin, Duration timeout) {
    return run(command, stdin, timeout, null);
  }

  public static Result run(List<String> command, byte[] stdin, Duration timeout, Path dir) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    if (dir != null) builder.directory(dir.toFile());
    try {
      Process process = builder.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      try (var in = process.getOutputStream()) {
        if (stdin != null) in.write(stdin);
      } catch (IOException ignored) {
        // The program may exit without reading its input.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
