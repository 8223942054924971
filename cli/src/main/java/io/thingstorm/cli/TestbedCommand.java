package io.thingstorm.cli;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.testbed.Profile;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.TestbedException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thingstorm testbed}: the embedded mTLS platform in the foreground, until Ctrl-C. */
@Command(
    name = "testbed",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Run a Mainflux-style (or Cybus-style) mTLS platform on this machine: MQTT 3.1.1/5 over TLS and WSS, "
          + "HTTPS and WebSocket adapters, a CA, a server certificate and a fleet of things.",
      "Ctrl-C stops it and prints what it received."
    })
final class TestbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "folder for ca.crt, server.crt and the things (reused when it holds them); default: a temporary folder removed on stop")
  Path dir;

  @Option(names = "--ca-password", paramLabel = "PASSWORD",
      description = "for an encrypted ca.key in DIR (as 'certs ca --key-password' writes); or set THINGSTORM_CA_PASSWORD, or be asked in a terminal")
  String caPassword;

  @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "8883", description = "MQTTS port (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int mqttPort;

  @Option(names = "--mqtt-wss-port", paramLabel = "PORT", defaultValue = "8884", description = "MQTT over WSS port (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int mqttWssPort;

  @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443", description = "HTTPS and WSS port (default ${DEFAULT-VALUE}; 0 picks a free one)")
  int httpsPort;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE}: this machine only)")
  String bind;

  @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "mainflux", description = "mainflux (default) or cybus")
  String profile;

  @Option(names = "--things", paramLabel = "N", description = "things to issue into DIR (default 10, unless DIR holds a things.csv)")
  Integer things;

  @Option(names = "--channels", paramLabel = "N", defaultValue = "1", description = "channels the new things are spread over (default ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--things-file", paramLabel = "FILE", description = "things from a 'certs bulk' manifest (things.csv) whose certs come from DIR's CA")
  Path thingsFile;

  @Option(names = "--permissions", paramLabel = "FILE",
      description = "cybus profile: per-user topic permissions, one 'USER = FILTER, FILTER...' line per user (Java properties)")
  Path permissions;

  @Option(names = "--max-mqtt-packet", paramLabel = "BYTES", defaultValue = "262144",
      description = "largest MQTT packet the broker takes; a larger one closes that connection (default ${DEFAULT-VALUE})")
  int maxMqttPacket;

  @Option(names = "--max-http-body", paramLabel = "BYTES", defaultValue = "1048576",
      description = "largest HTTPS request body; a larger one gets 413 without being read (default ${DEFAULT-VALUE})")
  long maxHttpBody;

  @Option(names = "--max-ws-message", paramLabel = "BYTES", defaultValue = "262144",
      description = "largest WebSocket frame or message on the WSS adapter; a larger one closes it with 1009 (default ${DEFAULT-VALUE})")
  int maxWsMessage;

  @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "an HTTPS connection's TLS handshake and first request head must arrive within this (slow-loris clients; default ${DEFAULT-VALUE})")
  long headerTimeout;

  @Option(names = "--stop-after", paramLabel = "SECONDS", description = "stop by itself after this many seconds (for scripts)")
  Long stopAfter;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Profile chosen;
    try {
      chosen = Profile.parse(profile);
    } catch (TestbedException e) {
      throw new UsageError(e.getMessage());
    }
    if (things != null && things < 1) throw new UsageError("--things must be at least 1, not " + things);
    if (channels < 1) throw new UsageError("--channels must be at least 1, not " + channels);
    if (stopAfter != null && stopAfter < 1) throw new UsageError("--stop-after must be at least 1 second, not " + stopAfter);
    for (int port : new int[] {mqttPort, mqttWssPort, httpsPort}) {
      if (port < 0 || port > 65535) throw new UsageError("not a port: " + port);
    }
    if (permissions != null && chosen != Profile.CYBUS) throw new UsageError("--permissions applies to the cybus profile only");
    if (things != null && thingsFile != null) throw new UsageError("give --things or --things-file, not both");
    if (things != null && dir != null && Files.exists(dir.resolve(ThingManifest.FILE_NAME))) {
      throw new UsageError(dir.resolve(ThingManifest.FILE_NAME) + " exists: leave out --things to use its things, or choose another --dir");
    }
    Testbed.Builder builder = Testbed.builder().dir(dir).mqttPort(mqttPort).mqttWssPort(mqttWssPort).httpsPort(httpsPort)
        .bindAddress(bind).profile(chosen).channels(channels)
        .caPasswords(KeyPasswords.forCaKey(caPassword));
    try {
      builder.maxMqttPacketSize(maxMqttPacket).maxHttpBodySize(maxHttpBody).maxWebSocketMessageSize(maxWsMessage)
          .requestHeaderTimeout(Duration.ofSeconds(headerTimeout));
    } catch (TestbedException e) {
      throw new UsageError(e.getMessage());
    }
    if (things != null) builder.generateThings(things);
    if (thingsFile != null) builder.things(thingsFile);
    if (permissions != null) builder.permissions(permissions);
    Testbed testbed = builder.build().start();

    CountDownLatch stopped = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      testbed.close();
      out.println();
      out.println("thingstorm testbed stopped. Received:");
      out.println(testbed.counts().table());
      out.flush();
      stopped.countDown();
    }, "testbed-stop");
    Runtime.getRuntime().addShutdownHook(stopper);

    printReady(out, testbed, String.format(Locale.ROOT,
        "Limits: MQTT packet %d B, HTTPS body %d B, WebSocket message %d B, request head within %d s.",
        maxMqttPacket, maxHttpBody, maxWsMessage, headerTimeout));
    if (stopAfter != null) {
      TimeUnit.SECONDS.sleep(stopAfter);
      Runtime.getRuntime().removeShutdownHook(stopper);
      stopper.run();
      return 0;
    }
    stopped.await();
    return 0;
  }

  private static void printReady(PrintWriter out, Testbed testbed, String limits) {
    out.printf(Locale.ROOT, "thingstorm testbed (%s profile) is up in %.1f s%n", testbed.profile().label(), testbed.startupTime().toMillis() / 1000.0);
    out.printf("  MQTTS       %s%n", testbed.mqttUrl());
    out.printf("  MQTT (WSS)  %s%n", testbed.mqttWssUrl());
    out.printf("  HTTPS       %s/channels/<channel>/messages%n", testbed.httpsUrl());
    out.printf("  WSS         %s/channels/<channel>/messages?authorization=<thing key>%n", testbed.wsUrl());
    out.printf("  CA          %s%n", testbed.caFile());
    out.printf("  things      %d registered%s%n", testbed.registry().size(),
        testbed.thingsFile().map(f -> ", listed with their keys in " + f + " (owner-only)").orElse(""));
    if (!testbed.identities().isEmpty()) {
      ManifestEntry thing = testbed.identities().get(0);
      String id = thing.thing().thingId();
      String channel = thing.thing().channelId();
      Path manifest = testbed.thingsFile().orElseThrow();
      // The manifest quotes its fields: the key is the second, without its quotes.
      String key = "\"$(grep -F " + id + " " + manifest + " | cut -d, -f2 | tr -d '\"')\"";
      String senml = "'[{\"bn\":\"thingstorm:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5}]'";
      String host = "localhost";
      out.printf("  a thing     id %s, channel %s, key %s%n", id, channel, thing.thing().maskedKey());
      out.printf("              cert %s%n", thing.cert());
      out.printf("              key  %s%n", thing.key());
      out.println();
      out.println("Publish as that thing (the key is read from the things file, never printed):");
      if (testbed.profile() == Profile.CYBUS) {
        out.printf("  mosquitto_pub -h %s -p %d --cafile %s --cert %s --key %s -t channels/%s/messages -m %s%n",
            host, testbed.mqttPort(), testbed.caFile(), thing.cert(), thing.key(), channel, senml);
      } else {
        out.printf("  mosquitto_pub -h %s -p %d --cafile %s --cert %s --key %s -u %s -P %s -t channels/%s/messages -m %s%n",
            host, testbed.mqttPort(), testbed.caFile(), thing.cert(), thing.key(), id, key, channel, senml);
        out.printf("  curl -s -i --cacert %s --cert %s --key %s -H 'Content-Type: application/senml+json' https://%s:%d/http/channels/%s/messages -d %s%n",
            testbed.caFile(), thing.cert(), thing.key(), host, testbed.httpsPort(), channel, senml);
      }
      if (testbed.profile() == Profile.CYBUS) {
        // Under the Cybus profile the channel is the topic itself.
        out.printf("  thingstorm device publish --profile cybus --url %s --cert %s --key %s --ca %s --channel channels/%s/messages --senml %s%n",
            testbed.mqttUrl(), thing.cert(), thing.key(), testbed.caFile(), channel, senml);
      } else {
        out.printf("  thingstorm device publish --url %s --cert %s --key %s --ca %s --channel %s --thing-id %s --senml %s%n",
            testbed.mqttUrl(), thing.cert(), thing.key(), testbed.caFile(), channel, id, senml);
      }
    }
    out.println();
    out.println(limits);
    out.println("Ctrl-C stops it and prints what it received.");
    out.flush();
  }
}
