package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --set FIELD=VALUE}: one scenario file, run against another host or at another rate without a copy. */
class ScenarioOverrideTest {
  @TempDir Path dir;

  private static final String FILE = """
      name: overrides
      fleet:
        count: 10
        protocols: {mqtt3: 100}
      phases:
        - connect: {rate: 50}
        - publish: {rate: 200, duration: 20s}
        - disconnect: {}
      thresholds:
        - "p99 publish latency < 250 ms"
      """;

  private Scenario read(String... sets) throws Exception {
    return readOver(FILE, sets);
  }

  private Scenario readOver(String yaml, String... sets) throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, yaml);
    return ScenarioReader.create().withOverrides(Arrays.stream(sets).map(ScenarioOverride::parse).toList()).read(file);
  }

  /** {@code --set fleet.issuer=...}: a platform target needs the CA that its things' certificates come from. */
  private String issuer() throws Exception {
    Path ca = dir.resolve("platform-ca");
    CaDirectory.at(ca).write("ca", CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 30).certifiedKey(),
        KeyFormat.PKCS8, null, false);
    return "fleet.issuer=" + ca;
  }

  private String refusal(String... sets) {
    return refusalOver(FILE, sets);
  }

  private String refusalOver(String yaml, String... sets) {
    try {
      readOver(yaml, sets);
    } catch (ScenarioException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + List.of(sets));
  }

  @Test
  void aNumberInAMappingAndOneInAListItem() throws Exception {
    Scenario scenario = read("fleet.count=500", "phases[1].publish.rate=1000");

    assertThat(scenario.fleet().count()).isEqualTo(500);
    assertThat(((Phase.Publish) scenario.phases().get(1)).schedule().from()).isEqualTo(1000);
    assertThat(((Phase.Publish) scenario.phases().get(1)).length()).isEqualTo(Duration.ofSeconds(20)); // the rest stays
  }

  @Test
  void urlsTurnTheEmbeddedTestbedIntoAPlatformTarget() throws Exception {
    Scenario scenario = read("target.mqtt=mqtts://mqtt.example.com:8883", "target.profile=cybus", issuer());

    assertThat(scenario.target().embedded()).isFalse();
    assertThat(scenario.target().mqtt()).isEqualTo(URI.create("mqtts://mqtt.example.com:8883"));
    assertThat(scenario.target().profile()).isEqualTo(Target.Profile.CYBUS);
  }

  @Test
  void valuesAreYamlSoListsAndMappingsCanBeGiven() throws Exception {
    Scenario scenario = read("target.mqtt=mqtts://h:8883", "target.https=https://h/http", issuer(),
        "target.tls.versions=[TLSv1.2]", "fleet.protocols={mqtt5: 50, https: 50}");

    assertThat(scenario.target().tls().versions()).containsExactly("TLSv1.2"); // target.tls made on the way
    assertThat(scenario.fleet().protocols().percent()).containsOnlyKeys(Protocol.MQTT5, Protocol.HTTPS);
  }

  @Test
  void anEmptyValueUnsetsAFieldAndAnIndexPastTheEndAddsAPhase() throws Exception {
    Scenario scenario = read("thresholds=", "phases[3]={hold: 5s}");

    assertThat(scenario.thresholds()).isEmpty();
    assertThat(scenario.phases()).hasSize(4);
    assertThat(scenario.phases().get(3)).isInstanceOf(Phase.Hold.class);
  }

  @Test
  void anEmptyValueRemovesAListItemOrAKeyOfAMapping() throws Exception {
    Scenario scenario = read("phases[1]=", "fleet.protocols.mqtt3=", "fleet.protocols.mqtt5=100");

    assertThat(scenario.phases()).hasSize(2);
    assertThat(scenario.phases().get(1)).isInstanceOf(Phase.Disconnect.class); // the item after it moved up
    assertThat(scenario.fleet().protocols().percent()).containsOnlyKeys(Protocol.MQTT5);
    // ... and what the file says of the item that moved up is still found at its line
    assertThat(refusalOver(FILE.replace("- disconnect: {}", "- disconnect: {rate: -1}"), "phases[1]="))
        .endsWith("x.yaml line 8: phases[1].disconnect.rate: must be positive, not -1");
  }

  @Test
  void aProblemAnOptionMadeIsBlamedOnIt_evenWhenItIsFoundAboveIt() {
    assertThat(refusal("fleet.protocols.mqtt5=10")).startsWith("--set fleet.protocols.mqtt5=10: fleet.protocols: ")
        .contains("110");
    assertThat(refusal("fleet=")).startsWith("--set fleet=: fleet: missing");
    assertThat(refusal("phases[0].connect=")).startsWith("--set phases[0].connect=: phases[0]");
    // The file gives a manifest, the option a count: the option is named.
    assertThat(refusalOver(FILE.replace("count: 10", "manifest: things.csv"), "fleet.count=0"))
        .isEqualTo("--set fleet.count=0: fleet.count: give count or manifest, not both");
  }

  @Test
  void theReportKeepsTheFileAndTheOverrides() throws Exception {
    Scenario scenario = read("fleet.count=20");

    assertThat(scenario.yaml()).startsWith(FILE).endsWith("# set on the command line:\n#   --set fleet.count=20\n");
  }

  @Test
  void aRelativePathIsTakenFromTheWorkingDirectoryNotTheFilesFolder() {
    assertThat(refusal("target.mqtt=mqtts://h:8883", "target.ca=no-such-ca.pem"))
        .isEqualTo("--set target.ca=no-such-ca.pem: target.ca: no such file: " + Path.of("no-such-ca.pem").toAbsolutePath());
  }

  @Test
  void aBadValueIsNamedByItsOptionNotByALineOfTheFile() {
    assertThat(refusal("phases[1].publish.rate=-5"))
        .isEqualTo("--set phases[1].publish.rate=-5: phases[1].publish.rate: must be positive, not -5");
    assertThat(refusal("fleet.count=many")).isEqualTo("--set fleet.count=many: fleet.count: must be a whole number, not many");
    assertThat(refusal("fleet.cuont=5")).startsWith("--set fleet.cuont=5: fleet.cuont: unknown field (known: count, manifest,");
    assertThat(refusal("fleet.protocols={mqtt3: 100")).startsWith("--set fleet.protocols={mqtt3: 100: fleet.protocols: not a YAML value: ");
  }

  @Test
  void aPathThatLeadsNowhereIsRefused() {
    assertThat(refusal("phases[7].hold=5s")).isEqualTo("--set phases[7].hold=5s: phases[7]: phases has 3 items, so an index "
        + "from 0 to 2, or 3 to add one at the end");
    assertThat(refusal("name.first=x")).isEqualTo("--set name.first=x: name: is the value overrides, not a mapping, so name.first "
        + "cannot be set");
    assertThat(refusal("fleet[0]=x")).startsWith("--set fleet[0]=x: fleet: is a mapping, not a list");
    assertThat(refusal("target.tls.versions[0]=TLSv1.2")).startsWith("--set target.tls.versions[0]=TLSv1.2: target.tls.versions: "
        + "has no list to index");
    assertThat(refusal("fleet.count")).isEqualTo("--set fleet.count: write PATH=VALUE, e.g. --set fleet.count=500");
    assertThat(refusal("fleet..count=5")).startsWith("--set fleet..count=...: not a field path");
    assertThatThrownBy(() -> ScenarioOverride.parse("[0]=5")).isInstanceOf(ScenarioException.class)
        .hasMessage("--set [0]=...: not a field path (write it as errors name fields, e.g. target.mqtt or phases[1].publish.rate)");
    assertThat(refusal("=5")).isEqualTo("--set =5: write PATH=VALUE, e.g. --set fleet.count=500");
  }

  @Test
  void anUnknownPhaseAddedIsRefusedAsInAFile() {
    assertThat(refusal("phases[3]={pause: 5s}")).startsWith("--set phases[3]={pause: 5s}: phases[3].pause: unknown phase");
  }
}
