package io.thingstorm.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testbed.Testbed;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals are counted, not fatal. Against a running testbed, as a platform target with a
 * {@code certs bulk} manifest: 4 good things, 4 with certificates from another CA, 2 the platform
 * does not know, and 2 it knows but has not connected to their channel. The run finishes and the
 * report names each group's class.
 */
class RefusalsRunTest {
  @TempDir Path dir;

  @Test
  void foreignCaUnknownThingsAndUnconnectedChannels_areCountedByClass() throws IOException {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).build().start()) {
      CertificateAuthority platformCa = testbed.certificateAuthority().orElseThrow();
      CertificateAuthority foreignCa = CertificateAuthority.createRoot("someone else's CA", KeyType.EC_P256, 365);
      String channel = UUID.randomUUID().toString();
      List<ManifestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Thing thing = new Thing(UUID.randomUUID().toString(), UUID.randomUUID().toString(), channel);
        String group = i < 4 ? "good" : i < 8 ? "foreign" : i < 10 ? "unknown" : "unconnected";
        CertificateAuthority issuer = group.equals("foreign") ? foreignCa : platformCa;
        switch (group) {
          case "good", "foreign" -> testbed.registry().register(thing);
          case "unconnected" -> testbed.registry().register(new Thing(thing.thingId(), thing.thingKey(), null));
          default -> { } // unknown to the platform
        }
        entries.add(write(dir.resolve("things"), thing, issuer.issueThing(thing.thingKey(), KeyType.EC_P256, 365)));
      }

      RunReport report = oneSecondOfMessages(testbed, entries, "mqtt5", 60);

      ProtocolCounts mqtt5 = ScenarioFiles.counts(report, "mqtt5");
      // HiveMQ's TLS (the JDK's) answers a certificate from an unknown issuer with the alert
      // certificate_unknown, which the client names "bad certificate"; a thing it does not know is
      // CONNACK 0x87 "not authorised"; a channel the thing is not connected to, PUBACK 0x87.
      assertThat(mqtt5.failures()).containsEntry("bad_certificate", 4L).containsEntry("not_authorised", 2L);
      // 60 messages round robin over the 6 connected devices: 10 each to the 2 unconnected ones.
      assertThat(report.connectedMax()).isEqualTo(6);
      assertThat(mqtt5.failures()).containsEntry("no_permission", 20L);
      assertThat(mqtt5.acknowledged()).isEqualTo(40);
      assertThat(testbed.counts().protocol(Protocol.MQTT).messages()).isEqualTo(40);
      assertThat(testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NO_PERMISSION)).isEqualTo(20);
      assertThat(testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NOT_AUTHORISED)).isEqualTo(2);
    }
  }

  @Test
  void underMqtt311AThingNotConnectedToItsChannelIsClosedAtItsFirstPublish() throws IOException {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).build().start()) {
      CertificateAuthority platformCa = testbed.certificateAuthority().orElseThrow();
      String channel = UUID.randomUUID().toString();
      List<ManifestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thing thing = new Thing(UUID.randomUUID().toString(), UUID.randomUUID().toString(), channel);
        // The last two are known to the platform but connected to no channel.
        testbed.registry().register(i < 2 ? thing : new Thing(thing.thingId(), thing.thingKey(), null));
        entries.add(write(dir.resolve("things"), thing, platformCa.issueThing(thing.thingKey(), KeyType.EC_P256, 365)));
      }

      RunReport report = oneSecondOfMessages(testbed, entries, "mqtt3", 40);

      ProtocolCounts mqtt3 = ScenarioFiles.counts(report, "mqtt3");
      // MQTT 3.1.1 has no negative PUBACK: the broker closes the connection, and the report names it.
      assertThat(mqtt3.failures()).containsKey("closed_at_first_publish").doesNotContainKey("connection_lost");
      assertThat(mqtt3.acknowledged()).isEqualTo(20);
      assertThat(testbed.counts().protocol(Protocol.MQTT).messages()).isEqualTo(20);
      assertThat(testbed.counts().protocol(Protocol.MQTT).refusals(Refusal.NO_PERMISSION)).isPositive();
    }
  }

  @Test
  void aThingWhoseNameMakesInvalidSenmlIsCountedAndTheRunGoesOn() throws IOException {
    try (Testbed testbed = Testbed.builder().dir(dir.resolve("testbed")).build().start()) {
      CertificateAuthority platformCa = testbed.certificateAuthority().orElseThrow();
      String channel = UUID.randomUUID().toString();
      List<ManifestEntry> entries = new ArrayList<>();
      // The default template's base name is "${thing}:"; SenML names hold no spaces.
      for (String id : List.of("good-thing", "bad thing")) {
        Thing thing = new Thing(id, UUID.randomUUID().toString(), channel);
        testbed.registry().register(thing);
        entries.add(write(dir.resolve("things"), thing, platformCa.issueThing(thing.thingKey(), KeyType.EC_P256, 365)));
      }
      Path manifest = dir.resolve("things.csv");
      ThingManifest.write(manifest, entries, false);
      Scenario scenario = ScenarioFiles.write(dir, "names", """
          name: names
          target:
            mqtt: %s
            ca: %s
            profile: mainflux
          fleet:
            manifest: %s
            subscribers: 0
          phases:
            - connect: {rate: 50}
            - publish: {rate: 100, count: 20}
            - disconnect: {}
          """.formatted(testbed.mqttUrl(), testbed.caFile(), manifest));
      Path out = dir.resolve("out");

      RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();

      assertThat(result.stoppedBecause()).isEmpty();
      ProtocolCounts mqtt3 = ScenarioFiles.counts(ReportReader.read(out), "mqtt3");
      assertThat(mqtt3.failures()).containsEntry(FailureClass.INVALID_PAYLOAD, 10L);
      assertThat(mqtt3.acknowledged()).isEqualTo(10);
      assertThat(testbed.counts().protocol(Protocol.MQTT).messages()).isEqualTo(10);
    }
  }

  /**
   * Runs the things against the testbed as a platform (connect, {@code messages} in one second,
   * disconnect), checks that the run went to its end, and reads its report.
   */
  private RunReport oneSecondOfMessages(Testbed testbed, List<ManifestEntry> things, String protocol, int messages)
      throws IOException {
    Path manifest = dir.resolve("things.csv");
    ThingManifest.write(manifest, things, false);
    Scenario scenario = ScenarioFiles.write(dir, "refusals", """
        name: refusals
        target:
          mqtt: %s
          ca: %s
          profile: mainflux
        fleet:
          manifest: %s
          protocols: {%s: 100}
          subscribers: 0
        phases:
          - connect: {rate: 50}
          - publish: {rate: %d, count: %d}
          - disconnect: {}
        """.formatted(testbed.mqttUrl(), testbed.caFile(), manifest, protocol, messages, messages));
    Path out = dir.resolve("out");
    RunResult result = RunEngine.builder().scenario(scenario).out(out).build().run();
    assertThat(result.stoppedBecause()).isEmpty();
    return ReportReader.read(out);
  }

  private static ManifestEntry write(Path dir, Thing thing, CertifiedKey key) throws IOException {
    Files.createDirectories(dir);
    Path cert = dir.resolve(thing.thingId() + ".crt");
    Path keyFile = dir.resolve(thing.thingId() + ".key");
    Files.writeString(cert, Pem.certificates(key.chain()));
    Files.writeString(keyFile, Pem.privateKey(key.privateKey(), KeyFormat.PKCS8, null));
    return new ManifestEntry(thing, cert, keyFile);
  }
}
