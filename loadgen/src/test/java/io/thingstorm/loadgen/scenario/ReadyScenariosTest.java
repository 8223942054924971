package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scenarios shipped in {@code scenarios/} load and say what their comments promise. */
class ReadyScenariosTest {
  static final Path SCENARIOS = Path.of("..", "scenarios");

  @ParameterizedTest
  @ValueSource(strings = {"quickstart", "handshake-storm", "fleet-10k", "soak"})
  void embeddedScenariosLoadAsTheyAre(String name) {
    Scenario scenario = Scenario.load(SCENARIOS.resolve(name + ".yaml"));
    assertThat(scenario.name()).isEqualTo(name);
    assertThat(scenario.target().embedded()).isTrue();
    assertThat(scenario.description()).isNotBlank();
    assertThat(scenario.thresholds()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mainflux", "cybus"})
  void platformScenariosAreValidBeforeTheirFilesExist(String name) {
    // Their manifest and CA bundle are the user's to make, so only the scenario itself is checked.
    Path file = SCENARIOS.resolve(name + ".yaml");
    assertThatThrownBy(() -> Scenario.load(file)).isInstanceOf(ScenarioException.class).hasMessageContaining("no such file");
    Scenario scenario = ScenarioReader.create().withoutFileChecks().read(file);
    assertThat(scenario.target().embedded()).isFalse();
    assertThat(scenario.fleet().fromManifest()).isTrue();
    assertThat(scenario.target().profile().label()).isEqualTo(name);
  }

  @Test
  void scenarioFilesInTheFolderAreAllCovered() throws Exception {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("cybus.yaml", "fleet-10k.yaml", "handshake-storm.yaml", "mainflux.yaml", "quickstart.yaml", "soak.yaml");
    }
  }

  @Test
  void quickstartIs200DevicesOnEveryProtocolForAbout30Seconds() {
    Scenario quickstart = Scenario.load(SCENARIOS.resolve("quickstart.yaml"));
    assertThat(quickstart.fleet().count()).isEqualTo(200);
    assertThat(quickstart.fleet().keyType()).isEqualTo(KeyType.EC_P256);
    assertThat(quickstart.fleet().protocols().devices())
        .isEqualTo(Map.of(Protocol.MQTT3, 140, Protocol.MQTT5, 20, Protocol.HTTPS, 20, Protocol.WSS, 20));
    assertThat(quickstart.target().profile()).isEqualTo(Target.Profile.MAINFLUX);
    assertThat(quickstart.target().tls()).isEqualTo(TlsOptions.DEFAULT);
    assertThat(quickstart.plannedLength()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(35));
    assertThat(quickstart.phases()).extracting(Phase::kind)
        .containsExactly("connect", "publish", "hold", "churn", "publish", "disconnect");
    Phase.Publish first = (Phase.Publish) quickstart.phases().get(1);
    assertThat(first.schedule().events()).isEqualTo(3000);
    assertThat(first.length()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void cybusIsTls12Only() {
    Scenario cybus = ScenarioReader.create().withoutFileChecks().read(SCENARIOS.resolve("cybus.yaml"));
    assertThat(cybus.target().tls().versions()).containsExactly("TLSv1.2");
    assertThat(cybus.target().mqtt()).hasToString("mqtts://connectware.example.com:8883");
    assertThat(cybus.target().authorization()).isEqualTo(Target.Authorization.NONE);
  }

  @Test
  void mainfluxRunsOnceItsManifestAndCaExist(@TempDir Path dir) throws Exception {
    // The same file, with what `certs bulk` would have written next to it.
    Files.copy(SCENARIOS.resolve("mainflux.yaml"), dir.resolve("mainflux.yaml"));
    Files.createDirectories(dir.resolve("mainflux"));
    Files.writeString(dir.resolve("mainflux/platform-ca.crt"),
        Pem.certificate(CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 1).certificate()));
    StringBuilder csv = new StringBuilder("thing_id,thing_key,channel_id,cert,key\n");
    for (int i = 0; i < 20; i++) csv.append("id-").append(i).append(",key-").append(i).append(",ch-1,things/").append(i).append(".crt,things/").append(i).append(".key\n");
    Files.writeString(dir.resolve("mainflux/things.csv"), csv);

    Scenario mainflux = Scenario.load(dir.resolve("mainflux.yaml"));
    assertThat(mainflux.fleet().count()).isEqualTo(20);
    assertThat(mainflux.fleet().thing(3).thing().thingKey()).isEqualTo("key-3");
    assertThat(mainflux.fleet().thing(3).cert()).isEqualTo(dir.resolve("mainflux/things/3.crt").toAbsolutePath().normalize());
    assertThat(mainflux.fleet().protocols().devices())
        .isEqualTo(Map.of(Protocol.MQTT3, 16, Protocol.MQTT5, 2, Protocol.HTTPS, 1, Protocol.WSS, 1));
    assertThat(mainflux.target().ca()).isEqualTo(dir.resolve("mainflux/platform-ca.crt").toAbsolutePath().normalize());
    assertThat(mainflux.target().authorization()).isEqualTo(Target.Authorization.THING);
  }

  @Test
  void aScenarioWithOnlyTheEssentialsGetsTheDefaults(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tiny.yaml"), """
        fleet: {count: 5}
        phases:
          - connect: {rate: 10}
          - publish: {rate: 10, count: 50}
        """);
    Scenario tiny = Scenario.load(dir.resolve("tiny.yaml"));
    assertThat(tiny.name()).isEqualTo("tiny");
    assertThat(tiny.target().embedded()).isTrue();
    assertThat(tiny.fleet().protocols().devices()).isEqualTo(Map.of(Protocol.MQTT3, 5));
    assertThat(tiny.fleet().mqtt()).isEqualTo(MqttOptions.DEFAULT);
    assertThat(tiny.fleet().identities()).isNull();
    assertThat(tiny.fleet().subscribers()).isEqualTo(1);
    assertThat(tiny.payload().format().name()).isEqualTo("JSON");
    assertThat(tiny.payload().size()).isZero();
    assertThat(tiny.thresholds()).isEqualTo(List.of());
    assertThat(tiny.plannedLength()).isEqualTo(Duration.ofMillis(500 + 5000));
  }
}
