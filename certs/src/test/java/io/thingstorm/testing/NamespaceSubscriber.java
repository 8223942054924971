package io.thingstorm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mosquitto_sub} run inside a namespace against the broker's plain listener there: the
 * platform's view of what arrived, over a path no fault touches. Payloads are counted, so that a
 * message heard twice shows as a duplicate.
 */
public final class NamespaceSubscriber implements AutoCloseable {
  private final Process process;
  private final Path output;

  private NamespaceSubscriber(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Subscribes at QoS 2 to {@code filter} and returns once a marker published after SUBACK came through. */
  public static NamespaceSubscriber start(NetworkNamespace ns, Mosquitto broker, Path dir, String filter) {
    DebianTool.require("mosquitto_sub", "mosquitto-clients");
    Path output = dir.resolve("sub-" + System.nanoTime() + ".txt");
    String marker = "subscribed-" + System.nanoTime();
    try {
      Process process = new ProcessBuilder(ns.command(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort),
          "-q", "2", "-t", filter, "-t", "thingstorm/marker", "-i", "counter-" + System.nanoTime())))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      NamespaceSubscriber subscriber = new NamespaceSubscriber(process, output);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!Files.readString(output).contains(marker)) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          subscriber.close();
          throw new AssertionError("mosquitto_sub did not subscribe: " + Files.readString(output));
        }
        ExternalCommand.run(ns.command(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.plainPort),
            "-t", "thingstorm/marker", "-m", marker)));
        Thread.sleep(100);
      }
      return subscriber;
    } catch (IOException e) {
      throw new AssertionError("cannot run mosquitto_sub: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How often each payload (one line each) arrived so far, markers left out. */
  public Map<String, Integer> received() {
    Map<String, Integer> counts = new HashMap<>();
    try {
      for (String line : Files.readAllLines(output)) {
        if (!line.startsWith("subscribed-") && !line.isEmpty()) counts.merge(line, 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return counts;
  }

  /** Waits until {@code expected} distinct payloads with this prefix arrived, or the time is up. */
  public Map<String, Integer> await(String prefix, int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Integer> got = withPrefix(prefix);
      if (got.size() >= expected || System.nanoTime() > deadline) return got;
      Thread.sleep(100);
    }
  }

  public Map<String, Integer> withPrefix(String prefix) {
    Map<String, Integer> got = new HashMap<>(received());
    got.keySet().removeIf(k -> !k.startsWith(prefix));
    return got;
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
