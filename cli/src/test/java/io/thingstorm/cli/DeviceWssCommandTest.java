package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code device publish} over WSS, which has no acknowledgement, against the embedded testbed. */
class DeviceWssCommandTest {
  @TempDir Path dir;

  @Test
  void aFrameThePlatformTakesIsExit0_oneItRefusesAsTooLargeIsExit1() throws Exception {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).generateThings(1).maxWebSocketMessageSize(1024)
        .build().start()) {
      ManifestEntry thing = testbed.identities().get(0);
      Path large = Files.writeString(dir.resolve("large.json"), "[{\"n\":\"blob\",\"vs\":\"" + "x".repeat(4096) + "\"}]");
      String[] publish = {"device", "publish", "--url", testbed.wsUrl().toString(), "--cert", thing.cert().toString(),
          "--key", thing.key().toString(), "--ca", testbed.caFile().toString(), "--channel", thing.thing().channelId()};

      CliRun small = CliRun.of(CliRun.plus(publish, "--senml", "[{\"n\":\"temperature\",\"v\":21.5}]"));
      CliRun refused = CliRun.of(CliRun.plus(publish, "--senml-file", large.toString()));

      assertThat(small.exitCode()).as(small.err()).isZero();
      assertThat(small.out()).contains("acknowledged");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).hasLineCount(1).containsPattern("close code (1009, message too big|1006, closed without a close frame)");
      assertThat(testbed.awaitCounts(c -> c.protocol(Protocol.WSS).messages() >= 1, Duration.ofSeconds(5))
          .protocol(Protocol.WSS).messages()).isEqualTo(1);
    }
  }
}
