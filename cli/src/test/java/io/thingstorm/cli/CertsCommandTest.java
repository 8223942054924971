package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code thingstorm certs}, run as a user would, its files checked by openssl. */
class CertsCommandTest {
  @TempDir Path dir;

  private String d() {
    return dir.toString();
  }

  @Test
  void theMainfluxMakefileFlowCaServerThing() {
    assertThat(CliRun.of("certs", "ca", "--dir", d()).exitCode()).isZero();
    assertThat(CliRun.of("certs", "server", "--dir", d(), "--host", "localhost", "--ip", "127.0.0.1").exitCode()).isZero();
    CliRun thing = CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "f1d0b3c2-7e9a-4c1b-9b2e-3a5c7d9e1f20", "--name", "dev1");

    assertThat(thing.exitCode()).as(thing.err()).isZero();
    assertThat(thing.out()).contains("dev1.crt").contains("CN=f1d0****").doesNotContain("f1d0b3c2-7e9a-4c1b-9b2e-3a5c7d9e1f20");
    String openssl = DebianTool.require("openssl", "openssl").toString();
    ExternalCommand.Result verified = ExternalCommand.run(List.of(openssl, "verify", "-CAfile", dir.resolve("ca.crt").toString(),
        dir.resolve("server.crt").toString(), dir.resolve("dev1.crt").toString()));
    assertThat(verified.stdout()).isEqualTo(dir.resolve("server.crt") + ": OK\n" + dir.resolve("dev1.crt") + ": OK\n");
    CliRun ours = CliRun.of("certs", "verify", "--ca-file", dir.resolve("ca.crt").toString(), dir.resolve("dev1.crt").toString());
    assertThat(ours.out()).isEqualTo(dir.resolve("dev1.crt") + ": OK\n");
  }

  @Test
  void keysAreOwnerOnlyAndKeptUnlessForced() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    String before = Files.readString(dir.resolve("ca.key"));

    CliRun again = CliRun.of("certs", "ca", "--dir", d());

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("thingstorm: " + dir.resolve("ca.crt") + " exists already (kept; use --force to replace it)\n");
    assertThat(Files.readString(dir.resolve("ca.key"))).isEqualTo(before);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
    assertThat(CliRun.of("certs", "ca", "--dir", d(), "--force").exitCode()).isZero();
    assertThat(Files.readString(dir.resolve("ca.key"))).isNotEqualTo(before);
  }

  @Test
  void verifyNamesEachFailureAsOpensslDoes() {
    CliRun.of("certs", "ca", "--dir", d());
    Path other = dir.resolve("other");
    CliRun.of("certs", "ca", "--dir", other.toString(), "--cn", "other CA");
    CliRun.of("certs", "thing", "--dir", other.toString(), "--thing-key", "stranger");
    CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "friend");

    CliRun result = CliRun.of("certs", "verify", "--ca-file", dir.resolve("ca.crt").toString(),
        dir.resolve("thing.crt").toString(), other.resolve("thing.crt").toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEqualTo(dir.resolve("thing.crt") + ": OK\n" + other.resolve("thing.crt") + ": unable to get local issuer certificate\n");
  }

  @Test
  void anIntermediateSignsThingsWhoseCertFileCarriesTheChain() {
    CliRun.of("certs", "ca", "--dir", d());
    assertThat(CliRun.of("certs", "intermediate", "--dir", d(), "--name", "plant-7").exitCode()).isZero();
    assertThat(CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "k7", "--issuer", "plant-7", "--key-format", "sec1").exitCode()).isZero();

    CliRun inspect = CliRun.of("certs", "inspect", dir.resolve("thing.crt").toString(), dir.resolve("thing.key").toString());

    assertThat(inspect.out()).contains("[1/2]").contains("[2/2]").contains("issuer:      CN=plant-7").contains("SEC1")
        .contains(dir.resolve("thing.key") + " matches " + dir.resolve("thing.crt"));
    assertThat(CliRun.of("certs", "verify", "--ca-file", dir.resolve("ca.crt").toString(), dir.resolve("thing.crt").toString()).out())
        .endsWith(": OK\n");
  }

  @Test
  void inspectDescribesACertificateThatIsTheLastThingPrinted() {
    CliRun.of("certs", "ca", "--dir", d(), "--cn", "plant CA");

    CliRun inspect = CliRun.of("certs", "inspect", dir.resolve("ca.crt").toString());

    assertThat(inspect.exitCode()).isZero();
    assertThat(inspect.out()).startsWith(dir.resolve("ca.crt") + ": certificate\n").contains("  subject:     CN=plant CA")
        .contains("  valid:       ");
  }

  @Test
  void aThingCertificateTakenForACaIsRefusedWithItsThingKeyMasked() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "f1d0b3c2-secret-thing-key", "--name", "t");
    Path notACa = Files.createDirectories(dir.resolve("not-a-ca"));
    Files.copy(dir.resolve("t.crt"), notACa.resolve("ca.crt"));
    Files.copy(dir.resolve("t.key"), notACa.resolve("ca.key"));

    CliRun run = CliRun.of("certs", "thing", "--dir", notACa.toString(), "--thing-key", "k");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("thingstorm: certificate CN=f1d0**** is not a CA (no CA:TRUE basic constraint)\n");
  }

  @Test
  void theCybusFlowCsrThenSign() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    Path conf = Files.writeString(dir.resolve("client.conf"), """
        COMMON_NAME = device001
        ORGNAME = Smart Factory Inc.
        [ req ]
        prompt = no
        distinguished_name = dn
        [ dn ]
        C = DE
        O = $ORGNAME
        CN = $COMMON_NAME
        """);
    CliRun csr = CliRun.of("certs", "csr", "--config", conf.toString(), "--key-type", "rsa-2048",
        "--key-out", dir.resolve("anymachine-key.pem").toString(), "--out", dir.resolve("anymachine.csr").toString());
    CliRun sign = CliRun.of("certs", "sign", "--dir", d(), "--csr", dir.resolve("anymachine.csr").toString(),
        "--days", "100", "--serial", "01", "--out", dir.resolve("anymachine.crt").toString());

    assertThat(csr.exitCode()).as(csr.err()).isZero();
    assertThat(sign.out()).startsWith("Signature ok\nsubject=C=DE, O=Smart Factory Inc., CN=devi****\n");
    String openssl = DebianTool.require("openssl", "openssl").toString();
    assertThat(ExternalCommand.run(List.of(openssl, "x509", "-in", dir.resolve("anymachine.crt").toString(), "-noout", "-serial", "-subject")).stdout())
        .isEqualTo("serial=01\nsubject=C = DE, O = Smart Factory Inc., CN = device001\n");
  }

  /**
   * A device key made by {@code openssl genpkey -algorithm RSA-PSS}: the CSR and the certificate
   * signed here name it as openssl does (id-RSASSA-PSS, a PSS signature, no key encipherment), so
   * that openssl's clients pair the key with its certificate; thingstorm's device does too.
   */
  @Test
  void anRsaPssKeysCertificateIsOneOpensslAndTheDeviceClientTake() throws Exception {
    String openssl = DebianTool.require("openssl", "openssl").toString();
    String mosquittoPub = DebianTool.require("mosquitto_pub", "mosquitto-clients").toString();
    assertThat(CliRun.of("certs", "ca", "--dir", d()).exitCode()).isZero();
    assertThat(CliRun.of("certs", "server", "--dir", d(), "--host", "localhost", "--ip", "127.0.0.1").exitCode()).isZero();
    Path key = dir.resolve("device.key");
    Path csr = dir.resolve("device.csr");
    Path cert = dir.resolve("device.crt");
    assertThat(ExternalCommand.run(List.of(openssl, "genpkey", "-algorithm", "RSA-PSS", "-out", key.toString())).exitCode()).isZero();

    assertThat(CliRun.of("certs", "csr", "--cn", "pss-device-01", "--key", key.toString(), "--out", csr.toString()).exitCode()).isZero();
    assertThat(ExternalCommand.run(List.of(openssl, "req", "-in", csr.toString(), "-noout", "-text")).stdout())
        .contains("Public Key Algorithm: rsassaPss").contains("Signature Algorithm: rsassaPss");
    CliRun sign = CliRun.of("certs", "sign", "--dir", d(), "--csr", csr.toString(), "--out", cert.toString());
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(ExternalCommand.run(List.of(openssl, "x509", "-in", cert.toString(), "-noout", "-ext", "keyUsage")).stdout())
        .isEqualTo("X509v3 Key Usage: critical\n    Digital Signature\n");
    assertThat(CliRun.of("certs", "inspect", cert.toString(), key.toString()).out())
        .contains("key:         RSA-PSS 2048 bit").contains(key + ": private key, RSA-PSS 2048 bit, PKCS#8").contains(key + " matches " + cert);

    try (Mosquitto broker = Mosquitto.start(dir, dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"))) {
      // mosquitto_pub refuses a key whose certificate names another algorithm: "key values mismatch".
      ExternalCommand.Result pub = ExternalCommand.run(List.of(mosquittoPub, "-h", "localhost", "-p", String.valueOf(broker.tlsPort),
          "--cafile", dir.resolve("ca.crt").toString(), "--cert", cert.toString(), "--key", key.toString(), "-t", "t", "-m", "hi"));
      assertThat(pub.exitCode()).as(pub.output()).isZero();
      String[] publish = {"device", "publish", "--url", "mqtts://localhost:" + broker.tlsPort, "--ca", d() + "/ca.crt",
          "--cert", cert.toString(), "--key", key.toString(), "--channel", "c1", "--profile", "generic", "--senml", "[{\"n\":\"t\",\"v\":1}]"};
      CliRun device = CliRun.of(publish);
      assertThat(device.exitCode()).as(device.err()).isZero();
      assertThat(device.out()).contains("acknowledged");
      List<String> onConscrypt = new ArrayList<>(List.of(publish));
      onConscrypt.addAll(List.of("--tls-provider", "conscrypt"));
      CliRun conscrypt = CliRun.of(onConscrypt.toArray(String[]::new));
      assertThat(conscrypt.exitCode()).isEqualTo(1);
      assertThat(conscrypt.err()).contains("Conscrypt cannot sign with an RSA-PSS key");
    }
  }

  /** The Cybus guide's first way: the key made on the device by openssl, the CSR for it made here. */
  @Test
  void aCsrForAnExistingKeyCarriesThatKeysPublicHalf() throws Exception {
    String openssl = DebianTool.require("openssl", "openssl").toString();
    Map<String, List<String>> keys = new LinkedHashMap<>();
    keys.put("rsa", List.of("genrsa", "2048"));
    keys.put("ec-sec1", List.of("ecparam", "-genkey", "-name", "prime256v1", "-noout"));
    keys.put("ec-pkcs8", List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"));
    keys.put("ed25519", List.of("genpkey", "-algorithm", "ed25519"));
    // An RSA-PSS key's public half is id-RSASSA-PSS, with the key's restrictions if it has any.
    keys.put("rsa-pss", List.of("genpkey", "-algorithm", "RSA-PSS"));
    keys.put("rsa-pss-restricted", List.of("genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_pss_keygen_md:sha256",
        "-pkeyopt", "rsa_pss_keygen_saltlen:32"));
    keys.put("encrypted", List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass", "pass:device-secret"));
    for (var key : keys.entrySet()) {
      Path keyFile = dir.resolve(key.getKey() + ".pem");
      Path csrFile = dir.resolve(key.getKey() + ".csr");
      List<String> make = new ArrayList<>(List.of(openssl, key.getValue().get(0), "-out", keyFile.toString()));
      make.addAll(key.getValue().subList(1, key.getValue().size()));
      assertThat(ExternalCommand.run(make).exitCode()).as(String.join(" ", make)).isZero();
      String before = Files.readString(keyFile);

      CliRun csr = CliRun.of("certs", "csr", "--cn", "device001", "--key", keyFile.toString(), "--key-password", "device-secret",
          "--out", csrFile.toString());

      assertThat(csr.exitCode()).as(key.getKey() + ": " + csr.err()).isZero();
      assertThat(csr.out()).as(key.getKey()).startsWith("wrote " + csrFile + " (subject CN=devi****) for key " + keyFile);
      assertThat(ExternalCommand.run(List.of(openssl, "req", "-in", csrFile.toString(), "-noout", "-verify")).output())
          .as(key.getKey()).contains("verify OK");
      List<String> publicOfKey = new ArrayList<>(List.of(openssl, "pkey", "-in", keyFile.toString(), "-pubout"));
      if (key.getKey().equals("encrypted")) publicOfKey.addAll(List.of("-passin", "pass:device-secret"));
      assertThat(ExternalCommand.run(List.of(openssl, "req", "-in", csrFile.toString(), "-noout", "-pubkey")).stdout())
          .as(key.getKey()).isEqualTo(ExternalCommand.run(publicOfKey).stdout());
      assertThat(Files.readString(keyFile)).as("the key is only read").isEqualTo(before);
    }
    // What would lose or mislabel the device's key is refused in one line, the key left as it was.
    String rsa = Files.readString(dir.resolve("rsa.pem"));
    CliRun overKey = CliRun.of("certs", "csr", "--cn", "d", "--key", dir.resolve("rsa.pem").toString(),
        "--out", dir.resolve("rsa.pem").toString(), "--force");
    assertThat(overKey.exitCode()).isEqualTo(2);
    assertThat(overKey.err()).isEqualTo("thingstorm: --out " + dir.resolve("rsa.pem") + " is the key's own file: the request would replace the key\n");
    assertThat(Files.readString(dir.resolve("rsa.pem"))).isEqualTo(rsa);
    CliRun typed = CliRun.of("certs", "csr", "--cn", "d", "--key", dir.resolve("rsa.pem").toString(), "--key-type", "ec-p256",
        "--out", dir.resolve("typed.csr").toString());
    assertThat(typed.exitCode()).isEqualTo(2);
    assertThat(typed.err()).isEqualTo("thingstorm: --key-type is for a new key (--key-out): --key " + dir.resolve("rsa.pem") + " is used as it is\n");
    Path k1 = dir.resolve("k1.pem");
    assertThat(ExternalCommand.run(List.of(openssl, "ecparam", "-genkey", "-name", "secp256k1", "-noout", "-out", k1.toString())).exitCode()).isZero();
    CliRun bitcoin = CliRun.of("certs", "csr", "--cn", "d", "--key", k1.toString(), "--out", dir.resolve("k1.csr").toString());
    assertThat(bitcoin.exitCode()).isEqualTo(1);
    assertThat(bitcoin.err()).startsWith("thingstorm: " + k1 + ": the key is on secp256k1, and thingstorm takes EC keys on P-256 or P-384")
        .hasLineCount(1);
    assertThat(dir.resolve("k1.csr")).doesNotExist();
    CliRun both = CliRun.of("certs", "csr", "--cn", "d", "--key", dir.resolve("rsa.pem").toString(),
        "--key-out", dir.resolve("x.key").toString(), "--out", dir.resolve("x.csr").toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("thingstorm: give --key (an existing key) or --key-out (a new one), not both\n");
  }

  /**
   * A server's CSR asks for its host names in the config's req_extensions, as openssl's does; sign
   * copies them, and curl then trusts the server under those names and no other.
   */
  @Test
  void aServerCsrAsksForItsHostNamesAndTheSignedCertificateCarriesThem() throws Exception {
    String openssl = DebianTool.require("openssl", "openssl").toString();
    String curl = DebianTool.require("curl", "curl").toString();
    CliRun.of("certs", "ca", "--dir", d());
    CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "device001", "--name", "device");
    Path conf = Files.writeString(dir.resolve("server.conf"), """
        HOST = broker.test
        [ req ]
        prompt = no
        distinguished_name = dn
        req_extensions = v3_req
        [ dn ]
        O = Smart Factory Inc.
        CN = $HOST
        [ v3_req ]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        subjectAltName = @alt_names
        [ alt_names ]
        DNS.1 = $HOST
        DNS.2 = mqtt.broker.test
        IP.1 = 127.0.0.1
        """);
    Path key = dir.resolve("server.key");
    assertThat(ExternalCommand.run(List.of(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", key.toString())).exitCode()).isZero();
    ExternalCommand.Result theirs = ExternalCommand.run(List.of(openssl, "req", "-new", "-config", conf.toString(), "-key", key.toString(),
        "-out", dir.resolve("openssl.csr").toString()));
    assertThat(theirs.exitCode()).as(theirs.output()).isZero();

    CliRun csr = CliRun.of("certs", "csr", "--config", conf.toString(), "--key", key.toString(), "--out", dir.resolve("server.csr").toString());
    CliRun sign = CliRun.of("certs", "sign", "--dir", d(), "--server", "--csr", dir.resolve("server.csr").toString(),
        "--out", dir.resolve("server.crt").toString());

    assertThat(csr.exitCode()).as(csr.err()).isZero();
    assertThat(csr.out()).contains("DNS:broker.test, DNS:mqtt.broker.test, IP:127.0.0.1");
    assertThat(requestedExtensions(openssl, dir.resolve("server.csr")))
        .contains("DNS:broker.test, DNS:mqtt.broker.test, IP Address:127.0.0.1")
        .isEqualTo(requestedExtensions(openssl, dir.resolve("openssl.csr")));
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("subjectAltName=DNS:broker.test, DNS:mqtt.broker.test, IP:127.0.0.1 (from the CSR)\n");
    assertThat(sign.err()).isEmpty();
    try (Nginx nginx = Nginx.start(dir, dir.resolve("ca.crt"), dir.resolve("server.crt"), key, "location / { return 200 \"hello $ssl_client_s_dn_cn\"; }")) {
      for (String host : List.of("broker.test", "mqtt.broker.test", "other.test")) {
        ExternalCommand.Result fetched = ExternalCommand.run(List.of(curl, "-sS", "--cacert", dir.resolve("ca.crt").toString(),
            "--cert", dir.resolve("device.crt").toString(), "--key", dir.resolve("device.key").toString(),
            "--resolve", host + ":" + nginx.port + ":127.0.0.1", "https://" + host + ":" + nginx.port + "/"));
        if (host.equals("other.test")) {
          assertThat(fetched.exitCode()).as(fetched.output()).isEqualTo(60);
          assertThat(fetched.stderr()).contains("other.test");
        } else {
          assertThat(fetched.stdout()).as(fetched.output()).isEqualTo("hello device001");
        }
      }
    }
    // Names given when signing take the CSR's place; a server certificate with none is signed, with a note.
    CliRun given = CliRun.of("certs", "sign", "--dir", d(), "--server", "--csr", dir.resolve("server.csr").toString(),
        "--host", "gateway.test", "--out", dir.resolve("given.crt").toString());
    assertThat(given.out()).contains("subjectAltName=DNS:gateway.test\n");
    assertThat(ExternalCommand.run(List.of(openssl, "x509", "-in", dir.resolve("given.crt").toString(), "-noout", "-ext", "subjectAltName"))
        .stdout()).isEqualTo("X509v3 Subject Alternative Name: \n    DNS:gateway.test\n");
    CliRun.of("certs", "csr", "--cn", "bare", "--key-out", dir.resolve("bare.key").toString(), "--out", dir.resolve("bare.csr").toString());
    CliRun bare = CliRun.of("certs", "sign", "--dir", d(), "--server", "--csr", dir.resolve("bare.csr").toString(),
        "--out", dir.resolve("bare.crt").toString());
    assertThat(bare.exitCode()).isZero();
    assertThat(bare.err()).startsWith("note: " + dir.resolve("bare.crt") + " names no host or IP address").hasLineCount(1);
  }

  /** What {@code openssl req -text} prints between "Requested Extensions:" and the signature. */
  private static String requestedExtensions(String openssl, Path csr) {
    String text = ExternalCommand.run(List.of(openssl, "req", "-in", csr.toString(), "-noout", "-text")).stdout();
    int start = text.indexOf("Requested Extensions:");
    assertThat(start).as(text).isPositive();
    return text.substring(start, text.indexOf("Signature Algorithm", start));
  }

  @Test
  void signFindsTheCaOfItsKeyWhereverItStandsInCaCrt() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    Path other = dir.resolve("other");
    CliRun.of("certs", "ca", "--dir", other.toString(), "--cn", "another CA");
    Path ca = dir.resolve("ca.crt");
    String own = Files.readString(ca);
    Files.writeString(ca, Files.readString(other.resolve("ca.crt")) + own); // put before it, not appended
    CliRun.of("certs", "csr", "--cn", "device001", "--key-out", dir.resolve("d.key").toString(), "--out", dir.resolve("d.csr").toString());

    CliRun sign = CliRun.of("certs", "sign", "--dir", d(), "--csr", dir.resolve("d.csr").toString(), "--out", dir.resolve("d.crt").toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    Path ownOnly = Files.writeString(dir.resolve("own-ca.crt"), own);
    String openssl = DebianTool.require("openssl", "openssl").toString();
    assertThat(ExternalCommand.run(List.of(openssl, "verify", "-CAfile", ownOnly.toString(), dir.resolve("d.crt").toString())).stdout())
        .endsWith(": OK\n");

    Files.writeString(ca, Files.readString(other.resolve("ca.crt")) + Files.readString(other.resolve("ca.crt")));
    CliRun none = CliRun.of("certs", "sign", "--dir", d(), "--csr", dir.resolve("d.csr").toString(), "--out", dir.resolve("e.crt").toString());
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.err()).contains("ca.key does not match").contains("(none of its 2 certificates is the key's)").hasLineCount(1);
  }

  @Test
  void bulkWritesTenThousandIdentitiesWithDistinctKeys() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());

    CliRun bulk = CliRun.of("certs", "bulk", "--dir", d(), "--count", "10000", "--channels", "4");

    assertThat(bulk.exitCode()).as(bulk.err()).isZero();
    List<String> rows = Files.readAllLines(dir.resolve("things.csv"));
    assertThat(rows.get(0)).isEqualTo("thing_id,thing_key,channel_id,cert,key");
    assertThat(rows).hasSize(10_001);
    assertThat(rows.stream().skip(1).map(r -> r.split(",")[1]).distinct()).hasSize(10_000);
    assertThat(rows.stream().skip(1).map(r -> r.split(",")[2]).distinct()).hasSize(4);
    try (Stream<Path> files = Files.list(dir.resolve("things"))) {
      assertThat(files.count()).isEqualTo(20_000);
    }
  }

  @Test
  void bulkWithNewCaNeedsNoSetUp() {
    CliRun bulk = CliRun.of("certs", "bulk", "--dir", d(), "--count", "3", "--new-ca");

    assertThat(bulk.exitCode()).as(bulk.err()).isZero();
    assertThat(bulk.out()).startsWith("wrote CA " + dir.resolve("ca.crt")).contains("issued 3 ec-p256 thing identities");
    assertThat(dir.resolve("things.csv")).exists();
  }

  @Test
  void bulkWithNewCaRefusesBadThingsBeforeItWritesTheCa() throws Exception {
    Path fleet = dir.resolve("fleet");
    Path evil = Files.writeString(dir.resolve("evil.csv"), "thing_id,thing_key,channel_id\n../../evil,k-1,c-1\n");

    CliRun bulk = CliRun.of("certs", "bulk", "--dir", fleet.toString(), "--new-ca", "--from", evil.toString());

    assertThat(bulk.exitCode()).isNotZero();
    assertThat(bulk.err()).contains("thing id '../../evil' cannot be a file name").hasLineCount(1);
    assertThat(fleet.resolve("ca.crt")).doesNotExist();
    assertThat(fleet.resolve("ca.key")).doesNotExist();
  }

  @Test
  void bulkFromMainfluxProvisionToml() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    Path toml = Files.writeString(dir.resolve("provision.toml"), """
        [[things]]
        thing_id = "513d02d2-16c1-4f23-98be-9e12f8fee898"
        thing_key = "69590b3a-9d76-4baa-adae-9b5fec0ea14f"

        [[channels]]
        channel_id = "b3867a52-675d-4f05-8cd0-df5a08a63ff3"
        """);

    CliRun bulk = CliRun.of("certs", "bulk", "--dir", d(), "--from", toml.toString());

    assertThat(bulk.exitCode()).as(bulk.err()).isZero();
    assertThat(Files.readString(dir.resolve("things/513d02d2-16c1-4f23-98be-9e12f8fee898.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readAllLines(dir.resolve("things.csv")).get(1)).contains("69590b3a-9d76-4baa-adae-9b5fec0ea14f");
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(List.of("certs", "verify", "--ca-file", "MISSING", "x.crt"), 1, "thingstorm: no such file: MISSING"),
        Arguments.of(List.of("certs", "inspect", "NOTPEM"), 1, "thingstorm: NOTPEM is not PEM (no '-----BEGIN' line)"),
        Arguments.of(List.of("certs", "thing", "--dir", "EMPTY", "--thing-key", "k"), 1,
            "thingstorm: no CA in EMPTY (no ca.crt and ca.key): create one with 'thingstorm certs ca --dir EMPTY'"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--key-type", "dsa"), 2,
            "thingstorm: unknown key type 'dsa' (known: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519)"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--days", "0"), 2, "thingstorm: --days must be at least 1, not 0"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--days", "99999999"), 2,
            "thingstorm: --days must be at most 36525 (100 years), not 99999999"),
        Arguments.of(List.of("certs", "thing", "--dir", "CA", "--name", "long", "--thing-key", "LONGSECRET" + "x".repeat(60)), 1,
            "thingstorm: the CN LONG**** is 70 characters long; RFC 5280 allows at most 64"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--cn", ""), 2, "thingstorm: the CN must not be empty"),
        Arguments.of(List.of("certs", "thing", "--dir", "CA", "--thing-key", ""), 2, "thingstorm: --thing-key must not be empty"),
        Arguments.of(List.of("certs", "inspect", "--password", "wrong", "ENCRYPTED"), 1,
            "thingstorm: wrong password for the encrypted key ENCRYPTED"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--key-type", "rsa-2048", "--key-format", "sec1"), 2,
            "thingstorm: sec1 holds EC keys only, not rsa-2048"),
        Arguments.of(List.of("certs", "bulk", "--dir", "CA"), 2, "thingstorm: give either --count N or --from FILE"),
        Arguments.of(List.of("certs", "bulk", "--dir", "CA", "--count", "2", "--threads", "0"), 2, "thingstorm: --threads must be at least 1, not 0"),
        Arguments.of(List.of("certs", "ca", "--dir", "NEW", "--key-password-env", "THINGSTORM_TEST_UNSET"), 2,
            "thingstorm: environment variable THINGSTORM_TEST_UNSET is not set"),
        Arguments.of(List.of("certs", "csr", "--cn", "d", "--country", "Germany", "--key-out", "NEW", "--out", "NEW"), 2,
            "thingstorm: country must be a two-letter code, not 'Germany'"),
        Arguments.of(List.of("certs", "csr", "--cn", "d", "--host", "a b", "--key-out", "NEW", "--out", "NEW"), 2,
            "thingstorm: not a host name: 'a b'"),
        Arguments.of(List.of("certs", "csr", "--config", "NSCERTTYPE", "--key-out", "NEW", "--out", "NEW"), 1,
            "thingstorm: NSCERTTYPE: [v3_req]: 'nsCertType' is not an extension thingstorm puts in a CSR "
                + "(it takes subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, subjectKeyIdentifier)"),
        Arguments.of(List.of("certs", "csr", "--config", "BADSAN", "--key-out", "NEW", "--out", "NEW"), 1,
            "thingstorm: BADSAN: [v3_req]: subjectAltName 'broker.test' needs a type, as DNS:broker.test"),
        Arguments.of(List.of("certs", "frobnicate"), 2,
            "thingstorm: Unmatched argument at index 1: 'frobnicate' (see 'thingstorm certs --help')"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsOneLineAndANonZeroExit(List<String> args, int exitCode, String message) throws Exception {
    Files.writeString(dir.resolve("NOTPEM"), "just text");
    Files.createDirectories(dir.resolve("EMPTY"));
    String request = "[req]\ndistinguished_name = dn\nreq_extensions = v3_req\n[dn]\nCN = d\n[v3_req]\n";
    Files.writeString(dir.resolve("NSCERTTYPE"), request + "nsCertType = client\n");
    Files.writeString(dir.resolve("BADSAN"), request + "subjectAltName = broker.test\n");
    CliRun.of("certs", "ca", "--dir", dir.resolve("CA").toString());
    CliRun.of("certs", "thing", "--dir", dir.resolve("CA").toString(), "--thing-key", "k", "--key-password", "right");
    Files.copy(dir.resolve("CA/thing.key"), dir.resolve("ENCRYPTED"));
    String[] resolved = args.stream().map(a -> a.matches("[A-Z]+") ? dir.resolve(a).toString() : a).toArray(String[]::new);
    String expected = message;
    for (String name : List.of("MISSING", "NOTPEM", "EMPTY", "ENCRYPTED", "NSCERTTYPE", "BADSAN")) expected = expected.replace(name, dir.resolve(name).toString());

    CliRun run = CliRun.of(resolved);

    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.err()).isEqualTo(expected + "\n");
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsNamed() throws Exception {
    CliRun.of("certs", "ca", "--dir", d());
    CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "a", "--name", "a");
    CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "b", "--name", "b");
    Files.copy(dir.resolve("b.key"), dir.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CliRun inspect = CliRun.of("certs", "inspect", dir.resolve("a.crt").toString(), dir.resolve("b.key").toString());
    CliRun signWithBrokenCa = CliRun.of("certs", "thing", "--dir", d(), "--thing-key", "c", "--name", "c");

    assertThat(inspect.exitCode()).isEqualTo(1);
    assertThat(inspect.out()).contains(dir.resolve("b.key") + " does NOT match " + dir.resolve("a.crt"));
    assertThat(signWithBrokenCa.err()).isEqualTo("thingstorm: " + dir.resolve("ca.key") + " does not match " + dir.resolve("ca.crt") + "\n");
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String sub : List.of("ca", "intermediate", "server", "thing", "csr", "sign", "verify", "inspect", "bulk")) {
      assertThat(CliRun.of("certs", sub, "--help").out()).as(sub).contains("Usage: thingstorm certs " + sub);
      assertThat(CliRun.of("certs", sub, "--version").out()).as(sub).startsWith("thingstorm ");
    }
  }
}
