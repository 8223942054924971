package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code thingstorm testbed}: what it prints, and that it never prints a thing key. */
class TestbedCommandTest {
  @TempDir Path dir;

  @Test
  void itPrintsItsUrlsTheCaAndAReadyCommandButNoThingKeyAndTheCountsWhenItStops() {
    Run run = run("testbed", "--dir", dir.toString(), "--mqtt-port", "0", "--mqtt-wss-port", "0", "--https-port", "0",
        "--things", "3", "--stop-after", "1");
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out)
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
      assertThat(run.out).doesNotContain(thing.thing().thingKey());
      assertThat(run.err).doesNotContain(thing.thing().thingKey());
    }
    assertThat(run.err).isEmpty();
  }

  @Test
  void anUnknownProfileGetsOneLine() {
    Run run = run("testbed", "--dir", dir.toString(), "--profile", "acme", "--stop-after", "1");
    assertThat(run.exitCode).isNotZero();
    assertThat(run.err.strip()).isEqualTo("thingstorm: unknown profile 'acme' (mainflux or cybus)");
  }

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = ThingstormCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
