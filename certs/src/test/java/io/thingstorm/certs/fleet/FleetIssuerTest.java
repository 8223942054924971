package io.thingstorm.certs.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.ChainVerifier;
import io.thingstorm.certs.CommonName;
import io.thingstorm.certs.KeyMatch;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetIssuerTest {
  private final CertificateAuthority ca = CertificateAuthority.createRoot("fleet CA", KeyType.EC_P256, 10);

  @TempDir Path dir;

  @Test
  void aFleetIsWrittenWithAManifestThatReadsBack() throws Exception {
    List<ManifestEntry> written = FleetIssuer.builder(ca).build().issue(dir, Thing.generate(50, 3));

    List<ManifestEntry> read = ThingManifest.read(dir.resolve("things.csv"));
    assertThat(read).containsExactlyElementsOf(written);
    assertThat(read).extracting(e -> e.thing().channelId()).doesNotContainNull().hasSize(50);
    assertThat(read.stream().map(e -> e.thing().channelId()).distinct()).hasSize(3);

    ManifestEntry first = read.get(0);
    List<X509Certificate> chain = Pem.readCertificates(first.cert());
    assertThat(CommonName.of(chain.get(0))).contains(first.thing().thingKey());
    assertThat(KeyMatch.matches(chain.get(0), Pem.readPrivateKey(first.key(), PasswordSource.none()))).isTrue();
    assertThat(new ChainVerifier(List.of(ca.certificate())).verify(chain).ok()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.key()))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("things.csv")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("things")))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("things", "things.csv");
    }
  }

  @Test
  void aNewFleetThatFailsHalfWayLeavesNothingBehind() throws Exception {
    List<Thing> things = new java.util.ArrayList<>(Thing.generate(20, 1));
    things.add(new Thing("too-long", "k".repeat(70), "ch"));

    assertThatThrownBy(() -> FleetIssuer.builder(ca).build().issue(dir, things)).hasMessageContaining("RFC 5280");

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aManifestWithAColumnMissingOrAShortRowSaysWhichAndWhere() throws Exception {
    Path noChannel = Files.writeString(dir.resolve("no-channel.csv"), "thing_id,thing_key,cert,key\na,b,a.crt,a.key\n");
    Path shortRow = Files.writeString(dir.resolve("short.csv"),
        "thing_id,thing_key,channel_id,cert,key\na,b,c,a.crt,a.key\nd,e,f,d.crt\n");

    assertThatThrownBy(() -> ThingManifest.read(noChannel)).hasMessage(noChannel
        + ": no column 'channel_id' in its header (expected thing_id,thing_key,channel_id,cert,key)");
    assertThatThrownBy(() -> ThingManifest.read(shortRow)).hasMessage(shortRow
        + " line 3: the row is short, it has no key (expected thing_id,thing_key,channel_id,cert,key)");
  }

  @Test
  void anExistingManifestIsKeptUnlessForced() throws Exception {
    FleetIssuer.builder(ca).build().issue(dir, Thing.generate(2, 1));

    assertThatThrownBy(() -> FleetIssuer.builder(ca).build().issue(dir, Thing.generate(2, 1)))
        .hasMessageContaining("things.csv exists already");
    List<ManifestEntry> replaced = FleetIssuer.builder(ca).force(true).build().issue(dir, Thing.generate(3, 1));
    assertThat(replaced).hasSize(3);
    assertThat(ThingManifest.read(dir.resolve("things.csv"))).containsExactlyElementsOf(replaced);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(replaced.get(0).key()))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("things", "things.csv");
    }
  }

  @Test
  void aForcedFleetReplacesTheOldOne_leavingNoKeyOfAThingItNoLongerHas() throws Exception {
    List<ManifestEntry> old = FleetIssuer.builder(ca).build().issue(dir, Thing.generate(3, 1));
    Path mine = Files.writeString(dir.resolve("things").resolve("notes.txt"), "not the fleet's");

    List<ManifestEntry> fleet = FleetIssuer.builder(ca).force(true).build().issue(dir, List.of(old.get(0).thing(), new Thing("new-1", "k-new-1", "c")));

    try (Stream<Path> files = Files.list(dir.resolve("things"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          old.get(0).thing().thingId() + ".crt", old.get(0).thing().thingId() + ".key", "new-1.crt", "new-1.key", "notes.txt");
    }
    assertThat(ThingManifest.read(dir.resolve("things.csv"))).containsExactlyElementsOf(fleet);
    assertThat(mine).hasContent("not the fleet's"); // only what the old manifest listed goes

    // A damaged manifest: --force could not tell which old keys to remove, so it is refused before any key is made.
    Files.writeString(dir.resolve("things.csv"), "garbage\"line,,,\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> FleetIssuer.builder(ca).force(true).build().issue(dir, List.of(new Thing("new-2", "k-new-2", "c"))))
        .hasMessageStartingWith("--force replaces the fleet of " + dir.resolve("things.csv") + ", which cannot be read");
    assertThat(dir.resolve("things").resolve("new-2.key")).doesNotExist();
  }

  @Test
  void aThingWhoseFilesExistIsRefusedBeforeAnyKeyIsMade_unlessForced() throws Exception {
    Thing thing = new Thing("press-7", "key-of-press-7", "line-1");
    ManifestEntry first = FleetIssuer.builder(ca).build().issue(dir, List.of(thing)).get(0);
    Files.delete(dir.resolve("things.csv"));
    String key = Files.readString(first.key());

    assertThatThrownBy(() -> FleetIssuer.builder(ca).build().issue(dir, List.of(new Thing("other", "k2", "c"), thing)))
        .hasMessage(first.cert() + " exists already (kept; use --force to replace it)");
    assertThat(Files.readString(first.key())).isEqualTo(key);
    try (Stream<Path> files = Files.list(dir.resolve("things"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("press-7.crt", "press-7.key");
    }

    ManifestEntry again = FleetIssuer.builder(ca).force(true).build().issue(dir, List.of(thing)).get(0);
    assertThat(Files.readString(again.key())).isNotEqualTo(key);
    assertThat(KeyMatch.matches(Pem.readCertificates(again.cert()).get(0), Pem.readPrivateKey(again.key(), PasswordSource.none()))).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("things", "things.csv");
    }
  }

  @Test
  void thingsThatExistOnAPlatformComeFromCsvOrProvisionToml() throws Exception {
    Path csv = Files.writeString(dir.resolve("existing.csv"), "thing_id,thing_key,channel_id\nt1,key-1,ch-a\nt2,key-2,\n");
    Path toml = Files.writeString(dir.resolve("provision.toml"), """
        # printed by Mainflux's provision tool
        [[things]]
        thing_id = "513d02d2-16c1-4f23-98be-9e12f8fee898"
        thing_key = "69590b3a-9d76-4baa-adae-9b5fec0ea14f"

        [[things]]
        thing_id = "bf78ca98-2fef-4cfc-9f26-e02da5ecdf67"
        thing_key = "840c1ea1-2e8d-4809-a6d3-3433a5c489d2"

        [[channels]]
        channel_id = "b3867a52-675d-4f05-8cd0-df5a08a63ff3"
        """);

    assertThat(ExistingThings.read(csv)).containsExactly(new Thing("t1", "key-1", "ch-a"), new Thing("t2", "key-2", null));
    assertThat(ExistingThings.read(toml)).extracting(Thing::thingKey)
        .containsExactly("69590b3a-9d76-4baa-adae-9b5fec0ea14f", "840c1ea1-2e8d-4809-a6d3-3433a5c489d2");
    assertThat(ExistingThings.read(toml)).extracting(Thing::channelId).containsOnly("b3867a52-675d-4f05-8cd0-df5a08a63ff3");
  }

  @Test
  void aThingIdThatCouldEscapeTheFolderIsRefused() {
    assertThatThrownBy(() -> FleetIssuer.builder(ca).build().issue(dir, List.of(new Thing("../evil", "k", null))))
        .hasMessageContaining("cannot be a file name");
  }

  @Test
  void keysAreMaskedWhenAThingIsPrinted() {
    Thing thing = new Thing("id-1", "69590b3a-9d76-4baa-adae-9b5fec0ea14f", "ch");
    assertThat(thing.toString()).doesNotContain("69590b3a-9d76-4baa-adae-9b5fec0ea14f").contains("6959****");
  }
}
