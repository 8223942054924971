package io.thingstorm.testbed;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.FleetIssuer;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.testbed.counters.CountsSnapshot;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.http.HttpsAdapter;
import io.thingstorm.testbed.mqtt.MqttBroker;
import io.thingstorm.testbed.registry.ThingRegistry;
import io.thingstorm.testbed.registry.TopicPermissions;
import io.thingstorm.testbed.rules.AccessRules;
import io.thingstorm.testbed.rules.CybusRules;
import io.thingstorm.testbed.rules.MainfluxRules;
import io.thingstorm.testbed.tls.ServerCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * A Mainflux-style (or Cybus-style) mTLS platform in this process: MQTT 3.1.1/5 over TLS and WSS
 * (HiveMQ CE), and the HTTPS and WebSocket adapters (Jetty), all requiring a client certificate from
 * the testbed's CA, with the platform's rules and a registry of things. It counts what it receives.
 *
 * <pre>{@code
 * try (Testbed testbed = Testbed.builder().generateThings(100).build().start()) {
 *   URI mqtt = testbed.mqttUrl();              // mqtts://127.0.0.1:P
 *   Path ca = testbed.caFile();                 // trust this
 *   ManifestEntry thing = testbed.identities().get(0);  // its cert, key, id and key
 *   ...
 *   CountsSnapshot counts = testbed.counts();
 * }
 * }</pre>
 */
public final class Testbed implements AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Builder config;
  private final TestbedCounters counters = new TestbedCounters();
  private ThingRegistry registry;
  private Path dir;
  private boolean ownsDir;
  private Path workDir;
  private ServerCredentials credentials;
  private List<ManifestEntry> identities = List.of();
  private Path thingsFile;
  private MqttBroker broker;
  private HttpsAdapter adapter;
  private InetAddress bind;
  private int mqttPort;
  private int mqttWssPort;
  private int httpsPort;
  private Duration startupTime;
  private boolean closed;

  private Testbed(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sets this JVM's logging as a testbed sets it (warnings and errors, on stderr), once. Also for a
   * run with no testbed: its devices' libraries (Java-WebSocket) log through SLF4J, which, set up by
   * many device threads at once, printed a warning that it replayed their calls.
   */
  public static void quietLogging() {
    QuietLogging.apply();
  }

  /** Starts everything and returns once each port accepts connections; fails in one line otherwise. */
  public synchronized Testbed start() {
    if (broker != null) throw new IllegalStateException("the testbed is running already");
    if (closed) throw new IllegalStateException("a closed testbed cannot start again: build a new one");
    long t0 = System.nanoTime();
    QuietLogging.apply();
    try {
      bind = InetAddress.getByName(config.bindAddress);
    } catch (UnknownHostException e) {
      throw new TestbedException("unknown bind address " + config.bindAddress);
    }
    try {
      prepareDir();
      credentials = ServerCredentials.prepare(dir, config.caPasswords);
      // Issuing the things, starting Jetty and starting HiveMQ overlap: each waits on something.
      registry = new ThingRegistry();
      CompletableFuture<Void> things = inBackground("testbed-things", () -> loadThings().forEach(registry::register));
      AccessRules rules = config.profile == Profile.CYBUS
          ? new CybusRules(registry, config.permissions)
          : new MainfluxRules(registry);
      boolean tls12Only = config.profile == Profile.CYBUS;

      workDir = Files.createTempDirectory("thingstorm-testbed-broker-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // A fresh password per start: the stores live only as long as this testbed.
      char[] password = HexFormat.of().formatHex(randomBytes(16)).toCharArray();
      Path keyStore = workDir.resolve("server.p12");
      Path trustStore = workDir.resolve("trust.p12");
      ServerCredentials.writeOwnerOnly(credentials.keyStore(password), password, keyStore);
      ServerCredentials.writeOwnerOnly(credentials.trustStore(), password, trustStore);

      mqttPort = config.mqttPort != 0 ? config.mqttPort : Ports.free(bind);
      mqttWssPort = config.mqttWssPort != 0 ? config.mqttWssPort : Ports.free(bind);
      Ports.requireFree(bind, mqttPort, "MQTTS");
      Ports.requireFree(bind, mqttWssPort, "MQTT over WSS");
      if (config.httpsPort != 0) Ports.requireFree(bind, config.httpsPort, "HTTPS"); // before the broker's slow start
      broker = new MqttBroker(new MqttBroker.Settings(workDir, bind.getHostAddress(), mqttPort, mqttWssPort,
          keyStore, trustStore, new String(password), tls12Only, config.maxMqttPacketSize), rules, counters);
      MqttBroker revoking = broker;
      registry.onRevoke(thing -> revoking.disconnectThing(thing.thingId()));
      adapter = new HttpsAdapter(new HttpsAdapter.Settings(bind.getHostAddress(),
          config.httpsPort != 0 ? config.httpsPort : Ports.free(bind),
          credentials.keyStore(password), password, credentials.trustStore(), tls12Only,
          config.maxHttpBodySize, config.maxWebSocketMessageSize, config.requestHeaderTimeout),
          registry, broker.publisher(), counters);
      CompletableFuture<Void> http = inBackground("testbed-https-start", adapter::start);
      RuntimeException failure = null;
      try {
        broker.start();
      } catch (RuntimeException e) {
        failure = e;
      }
      for (CompletableFuture<Void> work : List.of(http, things)) {
        try {
          await(work);
        } catch (RuntimeException e) {
          if (failure == null) failure = e;
        }
      }
      if (failure != null) throw failure; // the first to fail says why
      httpsPort = adapter.port();
      Ports.requireListening(bind, mqttPort, "MQTTS", PROBE_TIMEOUT);
      Ports.requireListening(bind, mqttWssPort, "MQTT over WSS", PROBE_TIMEOUT);
      Ports.requireListening(bind, httpsPort, "HTTPS", PROBE_TIMEOUT);
    } catch (IOException e) {
      close();
      throw new TestbedException("cannot prepare the testbed: " + e.getMessage()
          + (e instanceof FileSystemException ? " (" + OutputFiles.reason(e) + ")" : ""), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
    return this;
  }

  /** Runs on its own thread: the common pool has one worker on two cores, which would serialise the work. */
  private static CompletableFuture<Void> inBackground(String name, Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        work.run();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  /** Waits, and rethrows a failure as it was thrown, so that its one-line message reaches the user. */
  private static void await(CompletableFuture<Void> work) {
    try {
      work.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new TestbedException(String.valueOf(e.getCause().getMessage()), e.getCause());
    }
  }

  private void prepareDir() throws IOException {
    if (config.dir != null) {
      dir = config.dir.toAbsolutePath();
      Files.createDirectories(dir);
    } else {
      dir = Files.createTempDirectory("thingstorm-testbed-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ownsDir = true;
    }
  }

  private List<Thing> loadThings() {
    List<Thing> things = new ArrayList<>(config.things);
    Path manifest = config.manifest;
    Path existing = dir.resolve(ThingManifest.FILE_NAME);
    if (manifest == null && config.generate == 0 && config.things.isEmpty() && Files.exists(existing)) {
      manifest = existing;
    }
    if (manifest != null) {
      identities = ThingManifest.read(manifest);
      thingsFile = manifest.toAbsolutePath();
    } else if (config.generate > 0 || config.things.isEmpty()) {
      CertificateAuthority ca = credentials.authority().orElseThrow(() ->
          new TestbedException(dir + " has no ca.key: the testbed cannot issue things; give it a things.csv"));
      int count = config.generate > 0 ? config.generate : Builder.DEFAULT_THINGS;
      identities = FleetIssuer.builder(ca).keyType(config.keyType)
          .build().issue(dir, Thing.generate(count, config.channels));
      thingsFile = dir.resolve(ThingManifest.FILE_NAME);
    }
    identities.forEach(e -> things.add(e.thing()));
    return things;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private String host() {
    return bind.isAnyLocalAddress() ? "127.0.0.1" : bind.getHostAddress();
  }

  /** {@code mqtts://HOST:PORT}: MQTT 3.1.1 and 5 over TLS, client certificate required. */
  public URI mqttUrl() {
    return URI.create("mqtts://" + host() + ":" + requireRunning().mqttPort);
  }

  /** {@code wss://HOST:PORT/mqtt}: MQTT over TLS WebSockets. */
  public URI mqttWssUrl() {
    return URI.create("wss://" + host() + ":" + requireRunning().mqttWssPort + "/mqtt");
  }

  /** {@code https://HOST:PORT/http}: POST {@code <this>/channels/<id>/messages[/<subtopic>]}. */
  public URI httpsUrl() {
    return URI.create("https://" + host() + ":" + requireRunning().httpsPort + "/http");
  }

  /** {@code wss://HOST:PORT/ws}: connect to {@code <this>/channels/<id>/messages?authorization=<key>}. */
  public URI wsUrl() {
    return URI.create("wss://" + host() + ":" + requireRunning().httpsPort + "/ws");
  }

  public int mqttPort() {
    return requireRunning().mqttPort;
  }

  public int mqttWssPort() {
    return requireRunning().mqttWssPort;
  }

  public int httpsPort() {
    return requireRunning().httpsPort;
  }

  /** The CA bundle: clients trust it, and client certificates must chain to it. */
  public Path caFile() {
    return requireRunning().credentials.caFile();
  }

  /** The folder with ca.crt, server.crt and, when the testbed issued them, things.csv and things/. */
  public Path dir() {
    return requireRunning().dir;
  }

  /** The CA with its key, to issue more things at runtime (in memory, for a load generator). */
  public Optional<CertificateAuthority> certificateAuthority() {
    return requireRunning().credentials.authority();
  }

  /** The manifest (thing keys inside: owner-only) the things came from or were written to. */
  public Optional<Path> thingsFile() {
    return Optional.ofNullable(thingsFile);
  }

  /** The things with certificate and key files, from the manifest; empty for things given in memory. */
  public List<ManifestEntry> identities() {
    return identities;
  }

  /** The live registry: revoke things and change channel connections while running. */
  public ThingRegistry registry() {
    return requireRunning().registry;
  }

  public Profile profile() {
    return config.profile;
  }

  /** The live counters. */
  public TestbedCounters counters() {
    return counters;
  }

  /** What was received and refused so far, per protocol and per thing. */
  public CountsSnapshot counts() {
    return counters.snapshot();
  }

  /**
   * Waits until the counts satisfy {@code condition} or {@code timeout} passes, and returns the last
   * snapshot either way. A WebSocket client's "sent" can come before the testbed has read the frame:
   * compare a run's totals after this, not at once.
   */
  public CountsSnapshot awaitCounts(Predicate<CountsSnapshot> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CountsSnapshot counts = counters.snapshot();
    while (!condition.test(counts) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      counts = counters.snapshot();
    }
    return counts;
  }

  /** Messages the broker dropped silently (full subscriber queues), by HiveMQ's own count; -1 if unknown. */
  public long droppedMessages() {
    return requireRunning().broker.droppedMessages();
  }

  /** PUBLISH packets the broker has sent to subscribers, by HiveMQ's own count; -1 if unknown. */
  public long forwardedMessages() {
    return requireRunning().broker.forwardedMessages();
  }

  /** How long {@link #start()} took, from nothing to every port listening. */
  public Duration startupTime() {
    return startupTime;
  }

  private Testbed requireRunning() {
    if (broker == null || adapter == null) throw new IllegalStateException("the testbed is not running");
    return this;
  }

  /** Stops the adapters and the broker and removes what the testbed wrote to temporary folders. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (adapter != null) adapter.close();
    if (broker != null) broker.close();
    OutputFiles.deleteTree(workDir); // a leftover temp file is no reason to fail a stop
    if (ownsDir) OutputFiles.deleteTree(dir);
  }

  /** How to build a testbed; every setting has a default that works on a fresh machine. */
  public static final class Builder {
    static final int DEFAULT_THINGS = 10;
    /** A SenML pack of a few hundred records fits many times over; a flood of megabytes does not. */
    public static final int DEFAULT_MAX_MQTT_PACKET_SIZE = 256 * 1024;
    public static final long DEFAULT_MAX_HTTP_BODY_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE = 256 * 1024;
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);

    private Path dir;
    private int mqttPort;
    private int mqttWssPort;
    private int httpsPort;
    private String bindAddress = "127.0.0.1";
    private Profile profile = Profile.MAINFLUX;
    private Path manifest;
    private int generate;
    private int channels = 1;
    private final List<Thing> things = new ArrayList<>();
    private KeyType keyType = KeyType.EC_P256;
    private TopicPermissions permissions = TopicPermissions.none();
    private PasswordSource caPasswords = PasswordSource.none();
    private int maxMqttPacketSize = DEFAULT_MAX_MQTT_PACKET_SIZE;
    private long maxHttpBodySize = DEFAULT_MAX_HTTP_BODY_SIZE;
    private int maxWebSocketMessageSize = DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE;
    private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;

    private Builder() {}

    /**
     * The folder for ca.crt/ca.key, server.crt/server.key and generated things; what it holds is
     * used. Default: a temporary folder, removed on close.
     */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Where the password of an encrypted {@code ca.key} in {@link #dir} comes from; asked only then. */
    public Builder caPasswords(PasswordSource caPasswords) {
      this.caPasswords = Objects.requireNonNull(caPasswords, "caPasswords");
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder mqttPort(int port) {
      this.mqttPort = checkPort(port);
      return this;
    }

    public Builder mqttWssPort(int port) {
      this.mqttWssPort = checkPort(port);
      return this;
    }

    public Builder httpsPort(int port) {
      this.httpsPort = checkPort(port);
      return this;
    }

    /** Default 127.0.0.1: a testbed is reachable from this machine only unless asked otherwise. */
    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    public Builder profile(Profile profile) {
      this.profile = profile;
      return this;
    }

    /** Things from a {@code certs bulk} manifest ({@code things.csv}); their certs must come from the testbed's CA. */
    public Builder things(Path manifest) {
      this.manifest = manifest;
      return this;
    }

    /** Things known to the platform without files (a load generator issues their certs in memory). */
    public Builder things(List<Thing> things) {
      this.things.addAll(things);
      return this;
    }

    /**
     * Issues {@code count} things into {@code dir/things/} and {@code dir/things.csv}. Without this,
     * {@code things(...)}, or an existing {@code dir/things.csv}, the testbed makes 10.
     */
    public Builder generateThings(int count) {
      if (count < 1) throw new TestbedException("the number of things must be at least 1, not " + count);
      this.generate = count;
      return this;
    }

    /** How many channels generated things are spread over (round-robin). Default 1. */
    public Builder channels(int channels) {
      if (channels < 1) throw new TestbedException("the number of channels must be at least 1, not " + channels);
      this.channels = channels;
      return this;
    }

    public Builder keyType(KeyType keyType) {
      this.keyType = keyType;
      return this;
    }

    /** Per-user topic permissions for the Cybus profile (see {@link TopicPermissions}). */
    public Builder permissions(TopicPermissions permissions) {
      this.permissions = permissions;
      return this;
    }

    public Builder permissions(Path file) {
      return permissions(TopicPermissions.read(file));
    }

    /**
     * The largest MQTT packet the broker takes (HiveMQ's {@code max-packet-size}), on MQTTS and MQTT
     * over WSS; a larger one closes that client's connection (MQTT 5: DISCONNECT 0x95). Default 256 KB.
     */
    public Builder maxMqttPacketSize(int bytes) {
      if (bytes < 64 || bytes > 268_435_460) throw new TestbedException("the MQTT packet size limit must be 64 bytes to 256 MB, not " + bytes);
      this.maxMqttPacketSize = bytes;
      return this;
    }

    /**
     * The largest HTTPS request body: a larger declared length is answered 413 before a byte of it
     * is read, a chunked body 413 once it passes the limit. Default 1 MB.
     */
    public Builder maxHttpBodySize(long bytes) {
      if (bytes < 1) throw new TestbedException("the HTTP body limit must be at least 1 byte, not " + bytes);
      this.maxHttpBodySize = bytes;
      return this;
    }

    /** The largest WebSocket frame and message on the WSS adapter; a larger one closes with 1009. Default 256 KB. */
    public Builder maxWebSocketMessageSize(int bytes) {
      if (bytes < 125) throw new TestbedException("the WebSocket message limit must be at least 125 bytes, not " + bytes);
      this.maxWebSocketMessageSize = bytes;
      return this;
    }

    /**
     * How long an HTTPS connection may take from accept to its first complete request head (TLS
     * handshake included) before it is closed: a slow-loris client trickling bytes never idles.
     * Default 10 s.
     */
    public Builder requestHeaderTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new TestbedException("the request header timeout must be positive, not " + timeout);
      this.requestHeaderTimeout = timeout;
      return this;
    }

    public Testbed build() {
      return new Testbed(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) throw new TestbedException("not a port: " + port);
      return port;
    }
  }
}
