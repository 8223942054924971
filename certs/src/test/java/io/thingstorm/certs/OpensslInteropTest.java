package io.thingstorm.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the certs toolkit writes, openssl reads and accepts; what openssl writes, the toolkit reads. */
class OpensslInteropTest {
  @TempDir Path dir;
  private String openssl;
  private CaDirectory files;
  private CertificateAuthority ca;

  @BeforeEach
  void setUp() {
    openssl = DebianTool.require("openssl", "openssl").toString();
    files = CaDirectory.at(dir);
    ca = CertificateAuthority.createRoot("interop CA", KeyType.EC_P256, 30);
    files.write("ca", ca.certifiedKey(), KeyFormat.PKCS8, null, false);
  }

  private ExternalCommand.Result openssl(String... args) {
    List<String> command = new ArrayList<>(List.of(openssl));
    command.addAll(List.of(args));
    return ExternalCommand.run(command);
  }

  @Test
  void opensslVerifyAcceptsServerAndThingCertificatesOfEveryKeyType() {
    files.write("server", ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), KeyType.EC_P256, 100), KeyFormat.PKCS8, null, false);
    List<String> args = new ArrayList<>(List.of("verify", "-CAfile", files.certFile("ca").toString(), files.certFile("server").toString()));
    for (KeyType type : KeyType.values()) {
      String name = "thing-" + type.label();
      files.write(name, ca.issueThing("key-" + type.label(), type, 30), KeyFormat.PKCS8, null, false);
      args.add(files.certFile(name).toString());
    }

    ExternalCommand.Result result = openssl(args.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout().lines()).hasSize(1 + KeyType.values().length).allMatch(line -> line.endsWith(": OK"));
  }

  @Test
  void opensslVerifiesAThingThroughAnIntermediate() {
    CertificateAuthority intermediate = ca.issueIntermediate("plant-7", KeyType.EC_P384, 100);
    files.write("plant-7", intermediate.certifiedKey(), KeyFormat.PKCS8, null, false);
    files.write("thing", intermediate.issueThing("k-plant", KeyType.EC_P256, 30), KeyFormat.PKCS8, null, false);
    String thing = files.certFile("thing").toString();

    ExternalCommand.Result result = openssl("verify", "-CAfile", files.certFile("ca").toString(), "-untrusted", thing, thing);

    assertThat(result.stdout()).as(result.output()).isEqualTo(thing + ": OK\n");
  }

  @Test
  void opensslReadsEveryKeyFormWritten() {
    record Form(KeyType type, KeyFormat format, String password) {}
    List<Form> forms = List.of(
        new Form(KeyType.EC_P256, KeyFormat.PKCS8, null), new Form(KeyType.EC_P256, KeyFormat.SEC1, null),
        new Form(KeyType.EC_P384, KeyFormat.PKCS8, "pw-384"), new Form(KeyType.RSA_2048, KeyFormat.PKCS1, null),
        new Form(KeyType.RSA_3072, KeyFormat.PKCS8, "pw-rsa"), new Form(KeyType.ED25519, KeyFormat.PKCS8, null));
    for (Form form : forms) {
      String name = form.type().label() + "-" + form.format() + (form.password() == null ? "" : "-enc");
      CertifiedKey thing = ca.issueThing(name, form.type(), 10);
      files.write(name, thing, form.format(), form.password() == null ? null : form.password().toCharArray(), false);

      ExternalCommand.Result key = openssl("pkey", "-in", files.keyFile(name).toString(), "-noout",
          "-passin", "pass:" + (form.password() == null ? "" : form.password()));
      ExternalCommand.Result cert = openssl("x509", "-in", files.certFile(name).toString(), "-noout", "-subject");

      assertThat(key.exitCode()).as(name + ": " + key.output()).isZero();
      assertThat(cert.stdout()).as(name).isEqualTo("subject=CN = " + name + "\n");
    }
  }

  @Test
  void theToolkitReadsKeysInEveryFormOpensslWrites() throws Exception {
    CertificateAuthority rsaCa = CertificateAuthority.createRoot("rsa", KeyType.RSA_2048, 10);
    Path pkcs1 = dir.resolve("pkcs1.key");
    Path sec1 = dir.resolve("sec1.key");
    Path encrypted = dir.resolve("enc.key");
    Path ed = dir.resolve("ed.key");
    assertThat(openssl("genrsa", "-traditional", "-out", pkcs1.toString(), "2048").exitCode()).isZero();
    assertThat(openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1.toString()).exitCode()).isZero();
    assertThat(openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:pw",
        "-out", encrypted.toString()).exitCode()).isZero();
    assertThat(openssl("genpkey", "-algorithm", "ED25519", "-out", ed.toString()).exitCode()).isZero();

    assertThat(Files.readString(pkcs1)).startsWith(header("RSA PRIVATE KEY"));
    assertThat(Pem.readPrivateKey(pkcs1, PasswordSource.none()).getAlgorithm()).isEqualTo("RSA");
    assertThat(Files.readString(sec1)).startsWith(header("EC PRIVATE KEY"));
    assertThat(Pem.readPrivateKey(sec1, PasswordSource.none()).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.readPrivateKey(encrypted, PasswordSource.of("pw".toCharArray())).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.readPrivateKey(ed, PasswordSource.none()).getAlgorithm()).isIn("Ed25519", "EdDSA");
    assertThat(rsaCa.certificate()).isNotNull();
  }

  @Test
  void theCybusFlowCsrFromOpensslConfigSignedByTheToolkitVerifies() throws Exception {
    // openssl genrsa + openssl req -new -config, as in the Cybus guide; the toolkit signs it.
    Path config = Path.of(getClass().getResource("/cybus/openssl-client-cert.conf").toURI());
    Path key = dir.resolve("anymachine-key.pem");
    Path csr = dir.resolve("anymachine.csr");
    assertThat(openssl("genrsa", "-out", key.toString(), "2048").exitCode()).isZero();
    ExternalCommand.Result req = openssl("req", "-new", "-config", config.toString(), "-key", key.toString(), "-out", csr.toString());
    assertThat(req.exitCode()).as(req.output()).isZero();

    SigningRequest request = SigningRequest.read(csr);
    assertThat(request.subject()).isEqualTo(OpensslRequestConfig.read(config).subject());
    java.security.cert.X509Certificate signed = ca.sign(
        CertificateSpec.builder(CertificateRole.CLIENT).subject(request.subject()).days(100).serial(java.math.BigInteger.ONE).build(),
        request.publicKey());
    Path crt = dir.resolve("anymachine.crt");
    OutputFiles.writePublic(crt, Pem.certificate(signed), false);

    assertThat(openssl("verify", "-CAfile", files.certFile("ca").toString(), crt.toString()).stdout()).isEqualTo(crt + ": OK\n");
    assertThat(openssl("x509", "-in", crt.toString(), "-noout", "-subject", "-serial").stdout())
        .isEqualTo("subject=C = DE, O = Smart Factory Inc., CN = device001\nserial=01\n");
  }

  @Test
  void aCsrFromTheToolkitVerifiesInOpenssl() throws Exception {
    KeyPair pair = KeyType.EC_P256.generate();
    Path csr = dir.resolve("device.csr");
    OutputFiles.writePublic(csr, SigningRequest.create(pair, Subjects.of("device002", "Smart Factory Inc.", "DE")).toPem(), false);

    ExternalCommand.Result result = openssl("req", "-in", csr.toString(), "-noout", "-verify", "-subject");

    assertThat(result.output()).contains("verify OK").contains("subject=C = DE, O = Smart Factory Inc., CN = device002");
  }

  @Test
  void aBundleWithACustomCaAppendedVerifiesBothInOpenssl() throws Exception {
    CertificateAuthority custom = CertificateAuthority.createRoot("custom CA", KeyType.RSA_2048, 30);
    files.write("cybus_client", ca.issueThing("admin", KeyType.EC_P256, 30), KeyFormat.PKCS8, null, false);
    files.write("custom_client", custom.issueThing("anymachine", KeyType.EC_P256, 30), KeyFormat.PKCS8, null, false);
    Path bundle = dir.resolve("bundle.crt");
    // cat custom_ca.crt >> cybus_ca.crt
    Files.writeString(bundle, Files.readString(files.certFile("ca")) + Pem.certificate(custom.certificate()));

    ExternalCommand.Result result = openssl("verify", "-CAfile", bundle.toString(),
        files.certFile("cybus_client").toString(), files.certFile("custom_client").toString());

    assertThat(result.stdout()).isEqualTo(files.certFile("cybus_client") + ": OK\n" + files.certFile("custom_client") + ": OK\n");
    assertThat(new ChainVerifier(Pem.readCertificates(bundle)).verify(Pem.readCertificates(files.certFile("custom_client"))).ok()).isTrue();
  }

  @Test
  void aCertificateFromAnotherCaOfTheSameNameGetsOpensslsReason() throws Exception {
    CertificateAuthority impostor = CertificateAuthority.createRoot("interop CA", KeyType.EC_P256, 30);
    files.write("impostor_client", impostor.issueThing("x", KeyType.EC_P256, 30), KeyFormat.PKCS8, null, false);
    Path thing = files.certFile("impostor_client");

    ExternalCommand.Result result = openssl("verify", "-CAfile", files.certFile("ca").toString(), thing.toString());

    assertThat(result.output()).contains("unable to get local issuer certificate");
    assertThat(new ChainVerifier(Pem.readCertificates(files.certFile("ca"))).verify(Pem.readCertificates(thing)).reason())
        .isEqualTo("unable to get local issuer certificate");
  }

  /** A PEM header, spelled out in two parts so that this file is not mistaken for one holding a key. */
  static String header(String label) {
    return "-----BEGIN " + label + "-----";
  }
}
