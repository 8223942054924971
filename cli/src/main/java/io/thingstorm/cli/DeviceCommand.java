package io.thingstorm.cli;

import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.client.AuthorizationFormat;
import io.thingstorm.client.Device;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.Transports;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thingstorm device}: the reference client on the command line. */
@Command(
    name = "device",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Act as one thing: publish SenML or subscribe over MQTTS (3.1.1 or 5), HTTPS or WSS with mutual TLS.",
    subcommands = {DeviceCommand.Publish.class, DeviceCommand.Subscribe.class})
final class DeviceCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Who the thing is and where it connects: shared by publish and subscribe. */
  static final class Connection {
    @Option(names = "--url", required = true, paramLabel = "URL",
        description = "mqtts://host:port, https://host:port/<prefix> or wss://host:port/<prefix>")
    String url;

    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "the thing's certificate (PEM; intermediates may follow)")
    Path cert;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "its private key: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1")
    Path key;

    @Option(names = "--key-password", paramLabel = "PASSWORD", description = "for an encrypted key; or set THINGSTORM_KEY_PASSWORD")
    String keyPassword;

    @Option(names = "--ca", required = true, paramLabel = "FILE", description = "CA bundle to trust the server by (several PEM CAs allowed)")
    Path ca;

    @Option(names = "--thing-id", paramLabel = "ID", description = "the thing id (Mainflux MQTT user name); default: the thing key")
    String thingId;

    @Option(names = "--thing-key", paramLabel = "KEY", description = "the thing key; default: the certificate's CN")
    String thingKey;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "mainflux", description = "mainflux (default), cybus or generic")
    String profile;

    @Option(names = "--topic", paramLabel = "TEMPLATE",
        description = "with --profile generic: the MQTT topic, from {channel}, {thing_id} and {subtopic} (default channels/{channel}/messages/{subtopic})")
    String topic;

    @Option(names = "--path", paramLabel = "TEMPLATE",
        description = "with --profile generic: the HTTPS and WSS path below the URL, from the same placeholders (default /channels/{channel}/messages/{subtopic})")
    String path;

    @Option(names = "--authorization", paramLabel = "FORMAT", defaultValue = "none",
        description = "the key's format in the HTTP Authorization header and the WSS authorization query: none (default: "
            + "no header under mTLS; WSS still sends the plain key, which its URL requires), plain, thing, client")
    String authorization;

    @Option(names = "--mqtt-version", paramLabel = "3|5", defaultValue = "3", description = "MQTT 3.1.1 (3, default) or 5")
    int mqttVersion;

    @Option(names = "--client-id", paramLabel = "ID",
        description = "MQTT client id (default: the thing id; subscribe adds -sub, so that a publish with the same identity does not take its session)")
    String clientId;

    @Option(names = "--tls-version", paramLabel = "V", split = ",", description = "1.3 and/or 1.2 (default both; cybus: 1.2)")
    List<String> tlsVersions;

    @Option(names = "--tls-provider", paramLabel = "P", defaultValue = "jdk", description = "jdk (default), conscrypt or bcjsse")
    String tlsProvider;

    @Option(names = "--insecure", description = "do not verify the server's host name (a warning is logged)")
    boolean insecure;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
        description = "how long to wait for the connection and each acknowledgement, such as 10s or 500ms (default 10s)")
    Duration timeout;

    /** Where warnings go: the command line's standard error. */
    @Spec(Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

    Device device(int qos) {
      return device(qos, "", failure -> {});
    }

    /** A --subtopic that the --topic or --path template has no place for would be dropped unseen. */
    void requireRoomFor(String subtopic) {
      if (subtopic == null) return;
      for (String template : new String[] {topic, path}) {
        if (template != null && !template.contains("{subtopic}")) {
          throw new UsageError("--subtopic " + subtopic + ": the template " + template + " has no {subtopic} to put it in");
        }
      }
    }

    /** With {@code clientIdSuffix} after the default client id, and told of each lost connection and failed reconnect. */
    Device device(int qos, String clientIdSuffix, Consumer<DeviceException> onFailure) {
      if (!timeout.isPositive()) throw new UsageError("--connect-timeout must be longer than 0, not " + DurationConverter.shown(timeout));
      PrintWriter err = mixee.commandLine().getErr();
      URI uri;
      try {
        uri = URI.create(url);
        Transports.requireSupportedScheme(uri);
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
      TlsSettings tls;
      PlatformProfile platform;
      try {
        platform = PlatformProfile.parse(profile);
        if (topic != null || path != null) {
          if (!platform.name().equals("generic")) throw new IllegalArgumentException("--topic and --path go with --profile generic");
          platform = PlatformProfile.generic(topic != null ? topic : PlatformProfile.CHANNELS_TOPIC, path != null ? path : PlatformProfile.CHANNELS_PATH);
        }
        platform = platform.withAuthorization(AuthorizationFormat.parse(authorization));
        TlsSettings.Builder settings = TlsSettings.builder().caBundle(ca).provider(TlsProvider.parse(tlsProvider));
        if (tlsVersions != null && !tlsVersions.isEmpty()) settings.versions(tlsVersions.toArray(new String[0]));
        if (insecure) settings.insecureSkipHostnameVerification();
        tls = settings.build();
        if (insecure) InsecureWarning.print(err, "--insecure");
        if (mqttVersion != 3 && mqttVersion != 5) throw new IllegalArgumentException("--mqtt-version is 3 or 5, not " + mqttVersion);
      } catch (IllegalArgumentException e) {
        throw new UsageError(e.getMessage());
      }
      ThingIdentity identity = ThingIdentity.builder()
          .certificateFile(cert).privateKeyFile(key)
          .keyPasswords(KeyPasswords.forThingKey(keyPassword))
          .thingId(thingId).thingKey(thingKey)
          .build();
      return Device.builder().url(uri).identity(identity).tls(tls).profile(platform).mqttVersion(mqttVersion).qos(qos)
          .clientId(clientId != null ? clientId : TransportConfig.defaultClientId(identity) + clientIdSuffix)
          .connectTimeout(timeout).ackTimeout(timeout).offlineBuffer(0).onFailure(onFailure).build();
    }

    /**
     * The failure with any thing key masked, whatever library text carried it: in its message and in
     * those of its causes, which THINGSTORM_DEBUG=1 prints (as copies with the same stack traces).
     */
    RuntimeException masked(RuntimeException e, Device device) {
      String secret = device != null ? device.identity().thingKey() : thingKey;
      if (secret == null || secret.length() < 4 || !carries(e, secret)) return e;
      return (RuntimeException) maskedCopy(e, secret, true);
    }

    private static boolean carries(Throwable e, String secret) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null && t.getMessage().contains(secret)) return true;
      }
      return false;
    }

    private static Throwable maskedCopy(Throwable e, String secret, boolean top) {
      String message = e.getMessage() == null ? null : e.getMessage().replace(secret, Thing.mask(secret));
      Throwable cause = e.getCause() == null ? null : maskedCopy(e.getCause(), secret, false);
      // The top keeps its message as it was; a cause is named by its class, as a stack trace names it.
      RuntimeException copy = new IllegalStateException(top ? message : e.getClass().getName() + (message == null ? "" : ": " + message));
      if (cause != null) copy.initCause(cause);
      copy.setStackTrace(e.getStackTrace());
      return copy;
    }
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = "Publish one SenML pack and exit 0 once the platform acknowledged it: PUBACK (QoS 1) or PUBCOMP (QoS 2), "
          + "HTTP 2xx, or for WSS the frame sent and a ping after it answered (a frame too large closes with 1009 instead). "
          + "The pack comes from --senml, --senml-file or standard input.")
  static final class Publish implements java.util.concurrent.Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = "--channel", required = true, paramLabel = "ID", description = "the channel id")
    String channel;

    @Option(names = "--subtopic", paramLabel = "S", description = "publish below the channel: channels/<id>/messages/<S>")
    String subtopic;

    @Option(names = "--qos", paramLabel = "N", defaultValue = "1", description = "MQTT QoS 0, 1 (default) or 2")
    int qos;

    @Option(names = "--retain", description = "MQTT retained message")
    boolean retain;

    @Option(names = "--format", paramLabel = "json|cbor", description = "send as SenML JSON or CBOR (default: as given)")
    String format;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
      @Option(names = "--senml", paramLabel = "JSON", description = "the pack itself") String text;
      @Option(names = "--senml-file", paramLabel = "FILE", description = "a file with the pack (JSON or CBOR); '-' for standard input") Path file;
    }

    /** Standard input as bytes; tests put their own here. */
    InputStream stdin = System.in;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (qos < 0 || qos > 2) throw new UsageError("--qos is 0, 1 or 2, not " + qos);
      byte[] payload = payload();
      SenmlFormat given = SenmlFormat.detect(payload);
      SenmlPack pack = given.decode(payload); // refuse an invalid pack before connecting
      SenmlFormat wanted = format == null ? given : parseFormat(format);
      byte[] sent = wanted == given ? payload : wanted.encode(pack);
      connection.requireRoomFor(subtopic);
      Device device = null;
      try {
        device = connection.device(qos);
        device.connect();
        device.publish(channel, subtopic, sent, wanted.mediaType(), qos, retain);
        // WSS has no acknowledgement: closeConfirmed pings, and a frame refused as too large shows there.
        device.closeConfirmed();
        PrintWriter out = spec.commandLine().getOut();
        // MQTT at QoS 0 has no acknowledgement: the message was written, no more is known.
        boolean unacknowledged = qos == 0 && connection.url.toLowerCase(Locale.ROOT).matches("(mqtts|ssl)://.*");
        out.println("published " + sent.length + " bytes (" + wanted.mediaType() + ", " + pack.records().size()
            + (pack.records().size() == 1 ? " record" : " records") + ") to channel " + channel
            + (subtopic == null ? "" : " subtopic " + subtopic) + (unacknowledged ? ": written (QoS 0: no acknowledgement)" : ": acknowledged"));
        out.flush();
        return 0;
      } catch (UsageError e) {
        throw e;
      } catch (RuntimeException e) {
        throw connection.masked(e, device);
      } finally {
        if (device != null) device.close();
      }
    }

    private static SenmlFormat parseFormat(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "json" -> SenmlFormat.JSON;
        case "cbor" -> SenmlFormat.CBOR;
        default -> throw new UsageError("--format is json or cbor, not '" + name + "'");
      };
    }

    private byte[] payload() {
      try {
        if (source != null && source.text != null) return source.text.getBytes(StandardCharsets.UTF_8);
        if (source != null && source.file != null && !source.file.toString().equals("-")) return Files.readAllBytes(source.file);
        return stdin.readNBytes(1 << 20);
      } catch (NoSuchFileException e) {
        throw new UncheckedIOException("no such file: " + source.file, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the SenML pack: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "subscribe",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = "Print each message of a channel as it arrives: its topic, a space, its payload (hex when binary).")
  static final class Subscribe implements java.util.concurrent.Callable<Integer> {
    @Mixin Connection connection;

    @Option(names = "--channel", required = true, paramLabel = "ID", description = "the channel id")
    String channel;

    @Option(names = "--subtopic", paramLabel = "S", description = "a subtopic below the channel; MQTT wildcards allowed")
    String subtopic;

    @Option(names = "--qos", paramLabel = "N", defaultValue = "1", description = "MQTT QoS 0, 1 (default) or 2")
    int qos;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "exit after N messages (default: never)")
    int count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "stop after this long, such as 30s: exit 0 without --count, 1 when fewer than N came")
    Duration wait;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      if (connection.url.toLowerCase(Locale.ROOT).startsWith("https:")) {
        throw new UsageError("HTTPS cannot subscribe: use an mqtts:// or wss:// URL");
      }
      if (count < 0) throw new UsageError("--count must be 0 (no limit) or more, not " + count);
      if (wait != null && !wait.isPositive()) throw new UsageError("--timeout must be longer than 0, not " + DurationConverter.shown(wait));
      BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();
      connection.requireRoomFor(subtopic);
      Device device = null;
      try {
        PrintWriter err = spec.commandLine().getErr();
        device = connection.device(qos, "-sub", failure -> {
          // A subscriber that lost its session (a second client with its id, a broker restart) says so, then reconnects.
          err.println("thingstorm: warning: connection lost or refused (" + failure.kind().title() + "); reconnecting");
          err.flush();
        });
        device.connect();
        device.subscribe(channel, subtopic, messages::add);
        PrintWriter out = spec.commandLine().getOut();
        long deadline = wait == null ? Long.MAX_VALUE : System.nanoTime() + wait.toNanos();
        int received = 0;
        while (count == 0 || received < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) break;
          ReceivedMessage message = messages.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
          if (message == null) continue;
          out.println(message.topic() + " " + printable(message.payload()));
          out.flush();
          received++;
        }
        if (count > 0 && received < count) {
          throw new IllegalStateException("timed out: " + received + " of " + count + " messages within " + DurationConverter.shown(wait));
        }
        return 0;
      } catch (UsageError e) {
        throw e;
      } catch (RuntimeException e) {
        throw connection.masked(e, device);
      } finally {
        if (device != null) device.close();
      }
    }

    static String printable(byte[] payload) {
      try {
        String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(payload)).toString();
        if (text.chars().noneMatch(c -> c < 0x20 && c != '\t')) return text;
      } catch (CharacterCodingException binary) {
        // fall through to hex
      }
      return "0x" + HexFormat.of().formatHex(payload);
    }
  }

  /** 10s, 500ms, 2m or plain seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        if (v.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException("expected a duration such as 10s, 500ms or 2m, not '" + value + "'");
      }
    }

    /** As typed: 30s, 1.5s or 500ms. */
    static String shown(Duration d) {
      long millis = d.toMillis();
      return millis % 1000 == 0 ? millis / 1000 + "s" : millis >= 1000 ? millis / 1000.0 + "s" : millis + "ms";
    }
  }
}
