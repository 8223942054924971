package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.FleetIssuer;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.pem.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad scenario is refused in one line naming the file, the line and the field. */
class ScenarioErrorsTest {
  @TempDir Path dir;

  private static final String GOOD = """
      name: errors
      target:
        embedded: true
      fleet:
        count: 10
        protocols: {mqtt3: 70, mqtt5: 10, https: 10, wss: 10}
      payload:
        records:
          - {bn: "${thing}:", n: temperature, u: Cel, v: "${random(18.0, 26.0)}", t: "${time}"}
      phases:
        - connect: {rate: 50}
        - publish: {rate: 200, duration: 20s}
        - hold: 2s
        - disconnect: {}
      thresholds:
        - "p99 publish latency < 250 ms"
      """;

  /** Reads {@code yaml} as {@code scenarios/x.yaml} in the temporary folder and returns the refusal. */
  private String refusal(String yaml) throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, yaml);
    try {
      ScenarioReader.create().read(file);
    } catch (ScenarioException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith(file + " line ");
      return e.getMessage().substring(file.toString().length() + 1);
    }
    throw new AssertionError("accepted:\n" + yaml);
  }

  @Test
  void theGoodScenarioLoads() throws Exception {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, GOOD);
    Scenario scenario = Scenario.load(file);
    assertThat(scenario.fleet().count()).isEqualTo(10);
    assertThat(scenario.phases()).hasSize(4);
  }

  @Test
  void unknownField() throws Exception {
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tsl: {}")))
        .isEqualTo("line 4: target.tsl: unknown field (known: embedded, mqtt, https, wss, ca, profile, authorization, topic, path, tls)");
  }

  @Test
  void unknownEcdsaOrKeyShareImplementation() throws Exception {
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tls: {provider: jdk, ecdsa: fastest}")))
        .startsWith("line 4: target.tls.ecdsa: ").contains("fastest").contains("auto, jdk, conscrypt");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tls: {provider: jdk, keyShares: fastest}")))
        .startsWith("line 4: target.tls.keyShares: ").contains("fastest").contains("auto, jdk");
  }

  @Test
  void unknownKeyExchangeGroup() throws Exception {
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tls: {groups: [x25519, curve9]}")))
        .startsWith("line 4: target.tls.groups[1]: unknown key exchange group curve9").contains("secp256r1");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tls: {groups: []}")))
        .startsWith("line 4: target.tls.groups: give at least one group");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  tls: {provider: conscrypt, groups: [x25519]}")))
        .startsWith("line 4: target.tls.groups: Conscrypt cannot be told its key exchange groups");
  }

  @Test
  void sourceAddressesThatAreNotIpAddresses() throws Exception {
    String fleet = "  protocols: {mqtt3: 70, mqtt5: 10, https: 10, wss: 10}";
    assertThat(refusal(GOOD.replace(fleet, fleet + "\n  sourceAddresses: [127.0.0.2, gateway.local]")))
        .isEqualTo("line 7: fleet.sourceAddresses[1]: not an IP address: gateway.local");
    assertThat(refusal(GOOD.replace(fleet, fleet + "\n  sourceAddresses: [127.0.0.2, 127.0.0.2]")))
        .isEqualTo("line 7: fleet.sourceAddresses[1]: 127.0.0.2 is listed twice");
    assertThat(refusal(GOOD.replace(fleet, fleet + "\n  sourceAddresses: []")))
        .startsWith("line 7: fleet.sourceAddresses: give at least one address");
  }

  @Test
  void unknownPhase() throws Exception {
    assertThat(refusal(GOOD.replace("- hold: 2s", "- pause: 2s")))
        .isEqualTo("line 13: phases[2].pause: unknown phase (known: connect, warmup, publish, hold, churn, disconnect)");
  }

  @Test
  void wrongType() throws Exception {
    assertThat(refusal(GOOD.replace("count: 10", "count: many")))
        .isEqualTo("line 5: fleet.count: must be a whole number, not many");
    assertThat(refusal(GOOD.replace("count: 10", "count: 10.5")))
        .isEqualTo("line 5: fleet.count: must be a whole number, not 10.5");
    assertThat(refusal(GOOD.replace("embedded: true", "embedded: sure")))
        .isEqualTo("line 3: target.embedded: must be true or false, not sure");
    assertThat(refusal(GOOD.replace("  - connect: {rate: 50}", "  - connect: 50")))
        .isEqualTo("line 11: phases[0].connect: must be a mapping with rate, rampTo, not 50");
  }

  @Test
  void negativeRate() throws Exception {
    assertThat(refusal(GOOD.replace("rate: 200", "rate: -5")))
        .isEqualTo("line 12: phases[1].publish.rate: must be positive, not -5");
  }

  @Test
  void zeroDuration() throws Exception {
    assertThat(refusal(GOOD.replace("duration: 20s", "duration: 0s")))
        .isEqualTo("line 12: phases[1].publish.duration: must be longer than 0, not 0s");
    assertThat(refusal(GOOD.replace("hold: 2s", "hold: 2")))
        .isEqualTo("line 13: phases[2].hold: must be a duration such as 500ms, 10s, 2m or 1h, not 2");
  }

  @Test
  void protocolMixNotSummingTo100() throws Exception {
    assertThat(refusal(GOOD.replace("wss: 10", "wss: 5")))
        .isEqualTo("line 6: fleet.protocols: percentages must sum to 100, not 95");
    assertThat(refusal(GOOD.replace("wss: 10", "coap: 10")))
        .isEqualTo("line 6: fleet.protocols.coap: unknown protocol (known: mqtt3, mqtt5, https, wss)");
  }

  @Test
  void aCaBundleThatIsNoPemIsRefusedWithItsField() throws Exception {
    Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
    String platform = GOOD.replace("  embedded: true", "  mqtt: mqtts://platform.example:8883\n  ca: ca.crt")
        .replace("count: 10", "manifest: things.csv");

    assertThat(refusal(platform)).isEqualTo("line 4: target.ca: " + dir.resolve("ca.crt") + " holds a damaged PEM block: "
        + "its base64 text is damaged (a character that is not base64, or part of a line missing)");
  }

  @Test
  void aBinaryFileIsNoScenario() throws Exception {
    Path file = Files.write(dir.resolve("x.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});

    assertThatThrownBy(() -> ScenarioReader.create().read(file))
        .hasMessage(file + ": not a UTF-8 text file, so no scenario");
  }

  @Test
  void missingManifestFile() throws Exception {
    assertThat(refusal(GOOD.replace("count: 10", "manifest: fleet/things.csv")))
        .isEqualTo("line 5: fleet.manifest: no such file: " + dir.resolve("fleet/things.csv"));
  }

  @Test
  void identitiesFolderHoldingAFleetThatDoesNotFit() throws Exception {
    // A folder as a first run leaves it: the testbed's CA beside a certs bulk fleet it issued.
    Path kept = dir.resolve("kept");
    CertificateAuthority testbedCa = CertificateAuthority.createRoot("kept testbed CA", KeyType.EC_P256, 30);
    CaDirectory.at(kept).write("ca", testbedCa.certifiedKey(), KeyFormat.PKCS8, null, false);
    FleetIssuer.builder(testbedCa).days(30).build().issue(kept, Thing.generate(2, 1));
    String twoThings = GOOD.replace("count: 10", "count: 2\n  identities: kept");

    assertThat(refusal(twoThings.replace("count: 2", "count: 3")))
        .isEqualTo("line 6: fleet.identities: " + kept + " holds 2 things, the fleet needs 3: remove it, or name another folder, to issue a new fleet");
    assertThat(refusal(twoThings.replace("count: 2", "count: 2\n  keyType: rsa-2048")))
        .isEqualTo("line 7: fleet.identities: " + kept + " holds ec-p256 identities, the fleet asks for rsa-2048: remove it, or name another folder, to issue a new fleet");
    Files.writeString(dir.resolve("good-kept.yaml"), twoThings);
    assertThat(Scenario.load(dir.resolve("good-kept.yaml")).fleet().identities()).isEqualTo(kept);

    CertificateAuthority other = CertificateAuthority.createRoot("a new testbed CA", KeyType.EC_P256, 30);
    CaDirectory.at(kept).write("ca", other.certifiedKey(), KeyFormat.PKCS8, null, true);
    assertThat(refusal(twoThings)).startsWith("line 6: fleet.identities: " + kept + " holds certificates not issued by CN=a new testbed CA (");
    Files.delete(kept.resolve("ca.crt"));
    assertThat(refusal(twoThings)).startsWith("line 6: fleet.identities: " + kept + " holds things.csv but no ca.crt");
    Files.writeString(dir.resolve("a-file"), "");
    assertThat(refusal(GOOD.replace("count: 10", "count: 2\n  identities: a-file")))
        .isEqualTo("line 6: fleet.identities: " + dir.resolve("a-file") + " is a file, not a folder");
  }

  @Test
  void thresholdOnUnknownMetric() throws Exception {
    assertThat(refusal(GOOD.replace("p99 publish latency", "p99 delivery latency")))
        .isEqualTo("line 16: thresholds[0]: unknown metric 'delivery' in \"p99 delivery latency < 250 ms\""
            + " (known: publish, connect, tcp, handshake, session, e2e, lag)");
    assertThat(refusal(GOOD.replace("p99 publish latency < 250 ms", "throughput > 5")))
        .startsWith("line 16: thresholds[0]: unknown metric 'throughput' in \"throughput > 5\" (write 'p50|p90|");
  }

  @Test
  void thresholdThatTheRunCannotMeasure() throws Exception {
    assertThat(refusal(GOOD.replace("p99 publish latency", "p99 e2e latency").replace("t: \"${time}\"", "t: 0")))
        .isEqualTo("line 16: thresholds[0]: end-to-end latency needs ${time} in a t or bt of payload.records");
    assertThat(refusal(GOOD.replace("p99 publish latency", "p99 e2e latency").replace("count: 10", "count: 10\n  subscribers: 0")))
        .isEqualTo("line 17: thresholds[0]: end-to-end latency needs subscribers (fleet.subscribers is 0)");
  }

  @Test
  void invalidSenmlTemplate() throws Exception {
    // A name may not start with '-': RFC 8428 section 4.5.1, found by rendering the template once.
    assertThat(refusal(GOOD.replace("bn: \"${thing}:\", ", "").replace("n: temperature", "n: -temperature")))
        .isEqualTo("line 9: payload.records[0]: not valid SenML: name \"-temperature\" must start with a letter or a digit, not '-'");
    assertThat(refusal(GOOD.replace("${random(18.0, 26.0)}", "${random(26.0, 18.0)}")))
        .isEqualTo("line 9: payload.records[0].v: ${random(26.0, 18.0)}: the first bound must be below the second");
    assertThat(refusal(GOOD.replace("${time}", "${thing}")))
        .isEqualTo("line 9: payload.records[0].t: must be a number or one of ${counter}, ${time}, ${random(a, b)}, not ${thing}");
    assertThat(refusal(GOOD.replace("u: Cel", "unit: Cel")))
        .startsWith("line 9: payload.records[0].unit: not a SenML field (known: bn, bt, bu, ");
  }

  @Test
  void impossibleValues() throws Exception {
    assertThat(refusal(GOOD.replace("fleet:\n", "fleet:\n  mqtt: {qos: 3}\n")))
        .isEqualTo("line 5: fleet.mqtt.qos: must be 0, 1 or 2, not 3");
    assertThat(refusal(GOOD.replace("count: 10", "count: 0")))
        .isEqualTo("line 5: fleet.count: must be at least 1, not 0");
    assertThat(refusal(GOOD.replace("count: 10", "count: 10\n  keyType: dsa-1024")))
        .isEqualTo("line 6: fleet.keyType: unknown key type 'dsa-1024' (known: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519)");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  profile: thingsboard")))
        .isEqualTo("line 4: target.profile: unknown value thingsboard (known: mainflux, magistrala, cybus, generic)");
    assertThat(refusal(GOOD.replace("rate: 50}", "rate: 50, rampTo: 0}")))
        .isEqualTo("line 11: phases[0].connect.rampTo: must be positive, not 0");
  }

  @Test
  void phasesInAnImpossibleOrder() throws Exception {
    assertThat(refusal(GOOD.replace("  - connect: {rate: 50}\n", "")))
        .isEqualTo("line 11: phases[0].publish: no device is connected at this point (put a connect phase first)");
    assertThat(refusal(GOOD.replace("- hold: 2s", "- connect: {rate: 5}")))
        .isEqualTo("line 13: phases[2].connect: the devices are connected already (disconnect first)");
    assertThat(refusal(GOOD.replace("duration: 20s", "duration: 20s, count: 5")))
        .isEqualTo("line 12: phases[1].publish.count: give duration or count, not both");
    assertThat(refusal(GOOD.replace("  - connect: {rate: 50}\n", "  - warmup: {rate: 50, duration: 5s}\n  - connect: {rate: 50}\n")))
        .isEqualTo("line 11: phases[0].warmup: no device is connected at this point (put a connect phase first)");
    assertThat(refusal(GOOD.replace("- hold: 2s", "- warmup: {rate: 100}")))
        .isEqualTo("line 13: phases[2].warmup: give a duration (e.g. 20s) or a count of messages");
  }

  @Test
  void platformTargets() throws Exception {
    String platform = GOOD.replace("  embedded: true", "  mqtt: mqtt://broker.example.com:1883");
    assertThat(refusal(platform))
        .isEqualTo("line 3: target.mqtt: must be an mqtts://, ssl:// or mqtt+wss:// URL (devices use mutual TLS), not mqtt://broker.example.com:1883");
    assertThat(refusal(platform.replace("mqtt://broker.example.com:1883", "mqtts://broker.example.com")))
        .startsWith("line 5: fleet.count: a platform accepts only certificates from a CA it trusts");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  ca: ca.crt")))
        .isEqualTo("line 4: target.ca: not used with embedded: true (the testbed has its own)");
  }

  @Test
  void aPublishIntervalIsEachDevicesTimeBetweenMessages() throws Exception {
    Path file = Files.writeString(dir.resolve("x.yaml"), GOOD.replace("{rate: 200, duration: 20s}", "{interval: 2s, duration: 20s}"));
    Phase.Publish publish = (Phase.Publish) ScenarioReader.create().read(file).phases().get(1);
    // 10 devices, each once every 2 s, for 20 s: 5 messages a second, 100 in all
    assertThat(publish.schedule().rateAt(0)).isEqualTo(5.0);
    assertThat(publish.schedule().events()).isEqualTo(100);

    assertThat(refusal(GOOD.replace("{rate: 200, duration: 20s}", "{rate: 200, interval: 2s, duration: 20s}")))
        .isEqualTo("line 12: phases[1].publish.interval: give rate (the fleet's messages per second) or interval (each device's), not both");
    assertThat(refusal(GOOD.replace("{rate: 200, duration: 20s}", "{interval: 2s, rampTo: 9, duration: 20s}")))
        .isEqualTo("line 12: phases[1].publish.rampTo: ramps go with rate, not with interval");
    assertThat(refusal(GOOD.replace("{rate: 200, duration: 20s}", "{interval: 0s, duration: 20s}")))
        .isEqualTo("line 12: phases[1].publish.interval: must be longer than 0, not 0s");
  }

  @Test
  void topicAndPathTemplatesOfTheGenericProfile() throws Exception {
    String generic = GOOD.replace("  embedded: true", "  mqtt: mqtts://broker.example.com:8883\n  profile: generic\n  topic: TOPIC");
    assertThat(refusal(generic.replace("TOPIC", "devices/{thing}/up/{subtopic}"))).isEqualTo("line 5: target.topic: unknown "
        + "placeholder {thing} in the topic template 'devices/{thing}/up/{subtopic}' (known: {channel}, {thing_id}, {subtopic})");
    assertThat(refusal(generic.replace("TOPIC", "devices/{thing_id}/up"))).isEqualTo("line 5: target.topic: must end in "
        + "/{subtopic}, where the generator puts the sender's protocol for its subscribers, e.g. devices/{thing_id}/telemetry/{subtopic}");
    assertThat(refusal(generic.replace("TOPIC", "devices/+/up/{subtopic}")))
        .isEqualTo("line 5: target.topic: a topic to publish to holds no wildcard '#' or '+': 'devices/+/up/{subtopic}'");
    assertThat(refusal(generic.replace("TOPIC", "dt/{channel}{thing_id}/{subtopic}"))).isEqualTo("line 5: target.topic: "
        + "{thing_id} must be a topic level of its own, between '/': the run's subscribers take '+' for it, which MQTT allows "
        + "only as a whole level; not dt/{channel}{thing_id}/{subtopic}");
    assertThat(refusal(generic.replace("TOPIC", "d/{thing_id}/{subtopic}\n  path: /c/{channel}?x=1/{subtopic}")))
        .isEqualTo("line 6: target.path: a path holds no query, fragment or space: '/c/{channel}?x=1/{subtopic}'");
    assertThat(refusal(generic.replace("TOPIC", "d/{thing_id}/{subtopic}\n  path: d/{thing_id}/{subtopic}")))
        .isEqualTo("line 6: target.path: a path starts with '/', not 'd/{thing_id}/{subtopic}'");
    assertThat(refusal(generic.replace("generic", "mainflux").replace("TOPIC", "d/{thing_id}/{subtopic}")))
        .isEqualTo("line 5: target.topic: only with profile: generic (the mainflux profile's own layout is fixed)");
    assertThat(refusal(GOOD.replace("  embedded: true", "  embedded: true\n  topic: d/{subtopic}")))
        .isEqualTo("line 4: target.topic: not used with embedded: true (the testbed has its own)");
  }

  @Test
  void syntaxErrorsAndDuplicates() throws Exception {
    assertThat(refusal(GOOD.replace("  count: 10", "  count: 10\n   x: [1")))
        .startsWith("line ").contains("not valid YAML: ");
    assertThat(refusal(GOOD.replace("  count: 10", "  count: 10\n  count: 20")))
        .isEqualTo("line 6: duplicate field 'count'");
  }

  @Test
  void syntaxErrorsAreOneLineToo() throws Exception {
    assertThat(refusal(GOOD.replace("  count: 10", "  count: [10")))
        .isEqualTo("line 6: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got :");
  }

  @Test
  void anEmptyPhaseValueMeansItsDefaults() throws Exception {
    Path file = dir.resolve("empty-values.yaml");
    Files.writeString(file, GOOD.replace("- disconnect: {}", "- disconnect:"));
    assertThat(Scenario.load(file).phases().get(3)).isEqualTo(new Phase.Disconnect(RateSchedule.immediate(10)));
    assertThat(refusal(GOOD.replace("- connect: {rate: 50}", "- connect:")))
        .isEqualTo("line 11: phases[0].connect: give the rate: connect: {rate: 100}");
  }

  @Test
  void theExceptionCarriesItsParts() throws Exception {
    Path file = dir.resolve("x.yaml");
    Files.writeString(file, GOOD.replace("rate: 200", "rate: -5"));
    assertThatThrownBy(() -> Scenario.load(file))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.file()).isEqualTo(file.toString());
          assertThat(e.line()).isEqualTo(12);
          assertThat(e.field()).isEqualTo("phases[1].publish.rate");
          assertThat(e.problem()).isEqualTo("must be positive, not -5");
        });
  }

  @Test
  void missingAndEmptyFiles() throws Exception {
    assertThatThrownBy(() -> Scenario.load(dir.resolve("none.yaml")))
        .hasMessage(dir.resolve("none.yaml") + ": no such file");
    Files.writeString(dir.resolve("empty.yaml"), "\n");
    assertThatThrownBy(() -> Scenario.load(dir.resolve("empty.yaml")))
        .hasMessage(dir.resolve("empty.yaml") + ": the file is empty");
    Files.writeString(dir.resolve("comments.yaml"), "# to do\n");
    assertThatThrownBy(() -> Scenario.load(dir.resolve("comments.yaml")))
        .hasMessage(dir.resolve("comments.yaml") + ": the file is empty (comments only)");
    // Found by the fuzzer: a lone tagged null node.
    Files.writeString(dir.resolve("null.yaml"), "! # T");
    assertThatThrownBy(() -> Scenario.load(dir.resolve("null.yaml")))
        .hasMessage(dir.resolve("null.yaml") + " line 1: not a scenario: the document is empty (null)");
  }
}
