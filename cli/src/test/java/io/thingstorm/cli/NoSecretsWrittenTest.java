package io.thingstorm.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.testbed.Testbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command of the CLI, run with a known thing key, key password and CA password, succeeding and
 * failing (wrong password, a key that does not match, a thing not authorised, usage errors), with
 * THINGSTORM_DEBUG off and on; then everything written is searched for those secrets and for the
 * private keys' base64: standard output and error, the library's log, the JVM's own stdout and stderr
 * (the testbed's logback), and every file left but the key files and manifests that hold them by
 * design. Masked forms ("b7f3****") are fine. A command added later and not run here fails the test.
 */
class NoSecretsWrittenTest {
  static final String THING_KEY = "b7f3c1d2-4a5e-4f60-9a7b-8c9d0e1f2a3b";
  static final String OTHER_THING_KEY = "c0ffee42-5b6c-4d7e-8f90-a1b2c3d4e5f6";
  static final String KEY_PASSWORD = "key-pass-Zq8Xw3Lp";
  static final String CA_PASSWORD = "ca-pass-Rt5Yu7Io";
  static final String SENML = "[{\"bn\":\"thingstorm:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]";

  @TempDir Path dir;

  private final Map<String, String> written = new LinkedHashMap<>();
  private final Set<String> commandsRun = new LinkedHashSet<>();
  private final CommandLine tree = ThingstormCommand.commandLine();

  @Test
  void noCommandWritesAThingKeyAPrivateKeyOrAPassword() throws Exception {
    StringBuilder logged = new StringBuilder();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public synchronized void publish(java.util.logging.LogRecord record) {
        logged.append(new java.util.logging.SimpleFormatter().format(record));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    root.addHandler(handler);
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream jvmOut = new ByteArrayOutputStream();
    ByteArrayOutputStream jvmErr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(jvmOut, stdout), true));
    System.setErr(new PrintStream(new Tee(jvmErr, stderr), true));
    try {
      runEveryCommand();
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      root.removeHandler(handler);
    }
    // THINGSTORM_DEBUG=1 as the environment gives it, in a JVM of its own: the stack trace comes, the password not.
    String debugged = inOwnJvm(Map.of("THINGSTORM_DEBUG", "1"), "certs", "inspect", "--password", "wrong-" + KEY_PASSWORD,
        dir.resolve("pki").resolve("thing.key").toString());
    assertThat(debugged).contains("thingstorm: wrong password for the encrypted key").contains("\tat io.thingstorm.");
    written.put("a JVM of its own with THINGSTORM_DEBUG=1", debugged);
    written.put("the library's log (java.util.logging)", logged.toString());
    written.put("the JVM's stdout", jvmOut.toString(ISO_8859_1));
    written.put("the JVM's stderr (logback, shutdown hooks)", jvmErr.toString(ISO_8859_1));
    addFilesWritten();

    assertThat(uncovered()).as("commands this test does not run yet").isEmpty();
    // Hostname verification switched off, three ways: each run says so once on stderr, the run's report too.
    for (String run : List.of(stderrOf("device publish", "--insecure"), stderrOf("handshake", "--no-hostname-check"), stderrOf("run", "secrets.yaml"))) {
      assertThat(written).hasEntrySatisfying(run, e -> assertThat(e.split(Pattern.quote(InsecureWarning.TEXT), -1)).as(e).hasSize(2));
      assertThat(written).hasEntrySatisfying(run, e -> assertThat(e).doesNotContain("verification is OFF"));
    }
    assertThat(dir.resolve("report").resolve("summary.txt")).content().contains("INSECURE: tls.hostnameVerification was false");
    // The failing paths ran: the revoked thing was not authorised, over the device command and in the run.
    assertThat(dir.resolve("report").resolve("summary.txt")).content().contains("not_authorised");
    assertThat(written).hasEntrySatisfying(stderrOf("device publish", "thing-2.crt"), e -> assertThat(e).contains("not authorised"));
    assertThat(written.entrySet()).filteredOn(e -> e.getKey().startsWith("stderr of") && e.getValue().contains(InsecureWarning.TEXT))
        .hasSize(3);
    List<String> secrets = secrets();
    List<String> leaks = new ArrayList<>();
    written.forEach((where, text) -> {
      for (String secret : secrets) {
        if (text.contains(secret)) leaks.add(where + " holds '" + secret + "'");
      }
    });
    assertThat(leaks).as("secrets written").isEmpty();
    // The search itself finds what it looks for: the key files and manifests hold them.
    assertThat(Files.readString(dir.resolve("fleet").resolve(ThingManifest.FILE_NAME))).contains(THING_KEY);
  }

  private void runEveryCommand() throws Exception {
    Path pki = dir.resolve("pki");
    String p = pki.toString();
    // certs: a CA and an intermediate with encrypted keys, a server, a thing (encrypted key and plain)
    once("certs", "ca", "--dir", p, "--key-password", CA_PASSWORD);
    once("certs", "intermediate", "--dir", p, "--name", "plant", "--ca-password", CA_PASSWORD, "--key-password", CA_PASSWORD);
    once("certs", "server", "--dir", p, "--ca-password", CA_PASSWORD);
    once("certs", "thing", "--dir", p, "--ca-password", CA_PASSWORD, "--thing-key", THING_KEY, "--key-password", KEY_PASSWORD);
    once("certs", "thing", "--dir", p, "--ca-password", CA_PASSWORD, "--thing-key", THING_KEY, "--name", "plain",
        "--issuer", "plant");
    both("certs", "thing", "--dir", p, "--ca-password", "wrong-" + CA_PASSWORD, "--thing-key", THING_KEY, "--name", "wrong");
    once("certs", "csr", "--cn", THING_KEY, "--key-out", pki.resolve("csr.key").toString(), "--out", pki.resolve("thing.csr").toString(),
        "--key-password", KEY_PASSWORD);
    once("certs", "sign", "--dir", p, "--ca-password", CA_PASSWORD, "--csr", pki.resolve("thing.csr").toString(),
        "--out", pki.resolve("signed.crt").toString());
    once("certs", "verify", "--ca-file", pki.resolve("ca.crt").toString(), pki.resolve("thing.crt").toString(),
        pki.resolve("signed.crt").toString(), pki.resolve("plain.crt").toString());
    once("certs", "inspect", "--password", KEY_PASSWORD, pki.resolve("thing.crt").toString(), pki.resolve("thing.key").toString(),
        pki.resolve("signed.crt").toString(), pki.resolve("thing.csr").toString());
    both("certs", "inspect", "--password", "wrong-" + KEY_PASSWORD, pki.resolve("thing.key").toString());
    once("certs", "inspect", "--password", KEY_PASSWORD, pki.resolve("plain.crt").toString(), pki.resolve("csr.key").toString());
    both("certs", "inspect", pki.resolve("plain.key").toString(), pki.resolve("thing.csr").toString());

    // a fleet of two known things, from a CSV as 'certs bulk --from' reads it
    Path fleet = dir.resolve("fleet");
    Path existing = dir.resolve("existing.csv");
    Files.writeString(existing, "thing_id,thing_key,channel_id\nthing-1," + THING_KEY + ",channel-1\nthing-2," + OTHER_THING_KEY + ",channel-1\n");
    once("certs", "bulk", "--dir", fleet.toString(), "--new-ca", "--from", existing.toString());
    both("certs", "bulk", "--dir", fleet.toString(), "--count", "0");
    List<ManifestEntry> things = ThingManifest.read(fleet.resolve(ThingManifest.FILE_NAME));
    ManifestEntry known = things.stream().filter(e -> e.thing().thingKey().equals(THING_KEY)).findFirst().orElseThrow();
    ManifestEntry revoked = things.stream().filter(e -> e.thing().thingKey().equals(OTHER_THING_KEY)).findFirst().orElseThrow();

    once("senml", "validate", write("pack.json", SENML));
    both("senml", "validate", write("bad.json", "[{\"n\":\"x\",\"v\":\"text\"}]"));
    once("senml", "resolve", "--now", "2026-01-01T00:00:00Z", dir.resolve("pack.json").toString());
    once("senml", "convert", "--to", "cbor", "--out", dir.resolve("pack.cbor").toString(), dir.resolve("pack.json").toString());
    once("help", "certs");
    once();
    once("certs");
    once("device");
    once("senml");
    both("report");
    both("certs", "ca", "--dir", p, "--key-password");
    both("certs", "thing", "--dir", p, "--thing-key", THING_KEY, "--key-password", KEY_PASSWORD, "--unknown-option");

    try (Testbed testbed = Testbed.builder().dir(fleet).things(fleet.resolve(ThingManifest.FILE_NAME)).build().start()) {
      testbed.registry().revoke(revoked.thing().thingId());
      String url = testbed.mqttUrl().toString();
      String ca = testbed.caFile().toString();
      String cert = known.cert().toString();
      String key = known.key().toString();
      once("device", "publish", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--thing-id", "thing-1",
          "--channel", "channel-1", "--senml", SENML);
      once("device", "publish", "--url", testbed.httpsUrl().toString(), "--cert", cert, "--key", key, "--ca", ca,
          "--authorization", "thing", "--channel", "channel-1", "--senml", SENML);
      once("device", "subscribe", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--thing-id", "thing-1",
          "--channel", "channel-1", "--timeout", "200ms");
      // not authorised: a revoked thing; the thing id of another; a channel it is not connected to
      both("device", "publish", "--url", url, "--cert", revoked.cert().toString(), "--key", revoked.key().toString(), "--ca", ca,
          "--thing-id", "thing-2", "--channel", "channel-1", "--senml", SENML);
      both("device", "publish", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--thing-id", "thing-2",
          "--channel", "channel-1", "--senml", SENML, "--mqtt-version", "5");
      both("device", "subscribe", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--thing-id", "thing-1",
          "--channel", "channel-9", "--count", "1", "--timeout", "1s");
      both("device", "publish", "--url", testbed.httpsUrl().toString(), "--cert", cert, "--key", key, "--ca", ca,
          "--authorization", "thing", "--thing-key", OTHER_THING_KEY, "--channel", "channel-1", "--senml", SENML);
      // a channel that holds the key itself, refused by the client: its own cause too carries the key
      both("device", "publish", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--thing-id", "thing-1",
          "--channel", THING_KEY + "/x", "--senml", SENML);
      // the key: wrong password, not the certificate's, from another CA
      both("device", "publish", "--url", url, "--cert", pki.resolve("thing.crt").toString(), "--key", pki.resolve("thing.key").toString(),
          "--key-password", "wrong-" + KEY_PASSWORD, "--ca", ca, "--channel", "channel-1", "--senml", SENML);
      both("device", "publish", "--url", url, "--cert", pki.resolve("thing.crt").toString(), "--key", pki.resolve("csr.key").toString(),
          "--key-password", KEY_PASSWORD, "--ca", ca, "--channel", "channel-1", "--senml", SENML);
      both("device", "publish", "--url", url, "--cert", pki.resolve("thing.crt").toString(), "--key", pki.resolve("thing.key").toString(),
          "--key-password", KEY_PASSWORD, "--ca", ca, "--channel", "channel-1", "--senml", SENML);
      once("device", "publish", "--url", url, "--cert", cert, "--key", key, "--ca", ca, "--insecure", "--thing-id", "thing-1",
          "--channel", "channel-1", "--senml", SENML);

      once("handshake", "--target", "127.0.0.1:" + testbed.mqttPort(), "--cert", cert, "--key", key, "--ca", ca,
          "--no-hostname-check", "--provider", "jdk", "--duration", "200ms", "--warmup", "0s", "--out", dir.resolve("handshake").toString());
      both("handshake", "--target", "127.0.0.1:" + testbed.mqttPort(), "--cert", pki.resolve("thing.crt").toString(),
          "--key", pki.resolve("thing.key").toString(), "--ca", ca, "--duration", "200ms", "--warmup", "0s");

      // a run against it with the manifest: one thing publishes, the revoked one is not authorised
      String scenario = write("secrets.yaml", """
          name: secrets
          target:
            mqtt: %s
            ca: %s
            tls: {hostnameVerification: false}
          fleet:
            manifest: %s
            protocols: {mqtt3: 100}
            subscribers: 0
          phases:
            - connect: {rate: 20}
            - publish: {rate: 50, count: 10}
            - disconnect: {}
          """.formatted(url, ca, fleet.resolve(ThingManifest.FILE_NAME)));
      Path report = dir.resolve("report");
      once("run", scenario, "--out", report.toString(), "--quiet");
      once("run", write("bad.yaml", "name: [unclosed"), "--out", dir.resolve("bad-report").toString());
      once("report", report.toString());
      once("report", "merge", report.toString(), "--out", dir.resolve("merged").toString());
      both("report", dir.resolve("no-such-report").toString());
    }
    once("testbed", "--dir", fleet.toString(), "--mqtt-port", "0", "--mqtt-wss-port", "0", "--https-port", "0", "--stop-after", "0");
  }

  /** The command line in a JVM of its own with these environment variables; its stdout and stderr. */
  private String inOwnJvm(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path log = dir.resolve("own-jvm.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);
    return Files.readString(log);
  }

  /**
   * Runs a failing command with THINGSTORM_DEBUG unset, then set: the stack trace it adds is written
   * too. (A command that succeeds prints the same either way: it runs {@link #once}.)
   */
  private void both(String... args) {
    once(args);
    record(args, CliRun.debug(args), "with THINGSTORM_DEBUG=1");
  }

  private void once(String... args) {
    record(args, CliRun.of(args), "");
  }

  private void record(String[] args, CliRun run, String how) {
    String name = "thingstorm " + String.join(" ", args) + (how.isEmpty() ? "" : " " + how);
    written.merge("stdout of " + name, run.out(), String::concat);
    written.merge("stderr of " + name, run.err(), String::concat);
    commandsRun.add(commandPath(args));
  }

  /** The key of the one command run whose line holds both words. */
  private String stderrOf(String command, String word) {
    return written.keySet().stream()
        .filter(k -> k.startsWith("stderr of thingstorm " + command) && k.contains(word) && !k.endsWith("THINGSTORM_DEBUG=1"))
        .findFirst().orElseThrow(() -> new AssertionError("no run of " + command + " with " + word));
  }

  /** The subcommand the arguments name, as picocli's qualified name ("thingstorm certs ca"). */
  private String commandPath(String[] args) {
    CommandLine at = tree;
    for (String arg : args) {
      CommandLine sub = at.getSubcommands().get(arg);
      if (sub == null) break;
      at = sub;
    }
    return at.getCommandSpec().qualifiedName();
  }

  private Set<String> uncovered() {
    Set<String> all = new LinkedHashSet<>();
    collect(tree, all);
    all.removeAll(commandsRun);
    return all;
  }

  private static void collect(CommandLine command, Set<String> into) {
    into.add(command.getCommandSpec().qualifiedName());
    command.getSubcommands().values().forEach(sub -> collect(sub, into));
  }

  private String write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  /** Every file left in the folder but those that hold secrets by design: keys, manifests, the things' list. */
  private void addFilesWritten() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".key") || name.equals(ThingManifest.FILE_NAME) || name.equals("existing.csv")) continue;
        if (name.equals("bad.json") || name.equals("bad.yaml")) continue; // the test's own input
        written.put("file " + dir.relativize(file), Files.readString(file, ISO_8859_1));
      }
    }
  }

  /** The keys and passwords, and every 32 characters of each private key's base64 (PEM body). */
  private List<String> secrets() throws IOException {
    List<String> secrets = new ArrayList<>(List.of(THING_KEY, OTHER_THING_KEY, KEY_PASSWORD, CA_PASSWORD));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path keyFile : files.filter(f -> f.getFileName().toString().endsWith(".key")).toList()) {
        String pem = Files.readString(keyFile);
        assertThat(pem).contains("PRIVATE KEY-----");
        for (String line : pem.lines().filter(l -> !l.startsWith("-----") && !l.contains(":") && !l.isBlank()).toList()) {
          for (int i = 0; i + 32 <= line.length(); i += 16) secrets.add(line.substring(i, i + 32));
        }
      }
    }
    return secrets;
  }

  /** Writes to two streams: what the JVM prints still shows in the build's log. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
