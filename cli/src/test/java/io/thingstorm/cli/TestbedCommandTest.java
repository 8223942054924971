package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thingstorm testbed}: what it prints, and that it never prints a thing key. */
class TestbedCommandTest {
  @TempDir Path dir;

  @Test
  void itPrintsItsUrlsTheCaAndAReadyCommandButNoThingKeyAndTheCountsWhenItStops() {
    CliRun run = CliRun.of("testbed", "--dir", dir.toString(), "--mqtt-port", "0", "--mqtt-wss-port", "0", "--https-port", "0",
        "--things", "3", "--max-http-body", "2000000", "--stop-after", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Limits: MQTT packet 262144 B, HTTPS body 2000000 B, WebSocket message 262144 B, request head within 10 s.");
    assertThat(run.out())
        .contains("mainflux profile) is up in")
        .containsPattern("MQTTS +mqtts://127\\.0\\.0\\.1:\\d+")
        .containsPattern("wss://127\\.0\\.0\\.1:\\d+/mqtt")
        .containsPattern("https://127\\.0\\.0\\.1:\\d+/http/channels/")
        .contains("CA          " + dir.resolve("ca.crt"))
        .contains("mosquitto_pub -h localhost")
        .contains("$(grep -F ")
        .contains("thingstorm testbed stopped. Received:")
        .containsPattern("total +0 +0");
    List<ManifestEntry> things = ThingManifest.read(dir.resolve("things.csv"));
    assertThat(things).hasSize(3);
    for (ManifestEntry thing : things) {
      assertThat(run.out()).doesNotContain(thing.thing().thingKey());
      assertThat(run.err()).doesNotContain(thing.thing().thingKey());
    }
    assertThat(run.err()).isEmpty();
  }

  @Test
  void itsReadyLinesWorkAsPrintedAndSigtermStopsItWithTheCounts() throws Exception {
    DebianTool.require("mosquitto_pub", "mosquitto-clients");
    DebianTool.require("curl", "curl");
    Process testbed = CliProcess.of(Path.of("target", "jna").toAbsolutePath(),
            "testbed", "--dir", dir.toString(), "--mqtt-port", "0", "--mqtt-wss-port", "0", "--https-port", "0", "--things", "2")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(testbed.getInputStream(), StandardCharsets.UTF_8));
      List<String> ready = new ArrayList<>();
      for (String line; (line = out.readLine()) != null && !line.startsWith("Ctrl-C"); ) {
        if (line.startsWith("  mosquitto_pub ") || line.startsWith("  curl ")) ready.add(line.strip());
      }
      assertThat(ready).hasSize(2);
      for (String line : ready) {
        ExternalCommand.Result result = ExternalCommand.run(List.of("bash", "-c", line), null, Duration.ofSeconds(20));
        assertThat(result.exitCode()).as(line + ": " + result.output()).isZero();
      }
      // SIGTERM (Ctrl-C would be SIGINT: the same shutdown hook); through the handle, which, unlike
      // Process.destroy, leaves the output stream open to read the counts.
      testbed.toHandle().destroy();
      String rest = out.lines().collect(Collectors.joining("\n")); // up to its exit
      assertThat(testbed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(rest).contains("thingstorm testbed stopped. Received:")
          .containsPattern("mqtts +1 ")
          .containsPattern("https +1 ")
          .containsPattern("total +2 ");
    } finally {
      testbed.destroyForcibly();
    }
  }

  @Test
  void anEncryptedCaKeyInDirIsReadWithCaPassword() {
    assertThat(CliRun.of("certs", "ca", "--dir", dir.toString(), "--key-password", "s3cret").exitCode()).isZero();
    String[] testbed = {"testbed", "--dir", dir.toString(), "--mqtt-port", "0", "--mqtt-wss-port", "0", "--https-port", "0",
        "--things", "1", "--stop-after", "1"};

    CliRun without = CliRun.of(testbed);
    assertThat(without.exitCode()).isEqualTo(1);
    assertThat(without.err()).isEqualTo("thingstorm: " + dir.resolve("ca.key")
        + " is an encrypted key: give --ca-password, set THINGSTORM_CA_PASSWORD, or run in a terminal to be asked\n");
    CliRun wrong = CliRun.of(CliRun.plus(testbed, "--ca-password", "guess"));
    assertThat(wrong.err()).isEqualTo("thingstorm: wrong password for the encrypted key " + dir.resolve("ca.key") + "\n");

    CliRun with = CliRun.of(CliRun.plus(testbed, "--ca-password", "s3cret"));
    assertThat(with.exitCode()).as(with.err()).isZero();
    assertThat(with.out()).contains("mainflux profile) is up in").contains("thingstorm testbed stopped. Received:");
    assertThat(dir.resolve("server.crt")).isNotEmptyFile();
  }


  @Test
  void aDirThatCannotBeMadeSaysWhy() {
    CliRun run = CliRun.of("testbed", "--dir", "/proc/thingstorm-testbed", "--stop-after", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("thingstorm: cannot prepare the testbed: /proc/thingstorm-testbed (no such folder)\n");
  }

  @Test
  void anUnknownProfileGetsOneLine() {
    CliRun run = CliRun.of("testbed", "--dir", dir.toString(), "--profile", "acme", "--stop-after", "1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("thingstorm: unknown profile 'acme' (mainflux or cybus)");
  }

  @Test
  void countsAndTimesOfZeroAreUsageErrors() {
    assertThat(CliRun.of("testbed", "--dir", dir.toString(), "--things", "0").err().strip()).isEqualTo("thingstorm: --things must be at least 1, not 0");
    assertThat(CliRun.of("testbed", "--dir", dir.toString(), "--channels", "0").exitCode()).isEqualTo(2);
    CliRun stop = CliRun.of("testbed", "--dir", dir.toString(), "--stop-after", "0");
    assertThat(stop.exitCode()).isEqualTo(2);
    assertThat(stop.err().strip()).isEqualTo("thingstorm: --stop-after must be at least 1 second, not 0");
  }

  @Test
  void aLimitOutOfRangeGetsOneLine() {
    CliRun run = CliRun.of("testbed", "--dir", dir.toString(), "--max-mqtt-packet", "10", "--stop-after", "1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("thingstorm: the MQTT packet size limit must be 64 bytes to 256 MB, not 10");
  }
}
