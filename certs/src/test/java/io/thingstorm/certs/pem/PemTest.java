package io.thingstorm.certs.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyMatch;
import io.thingstorm.certs.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
  private static final CertificateAuthority CA = CertificateAuthority.createRoot("pem CA", KeyType.EC_P256, 10);

  @TempDir Path dir;

  static Stream<Arguments> keyForms() {
    return Stream.of(
        Arguments.of(KeyType.EC_P256, KeyFormat.PKCS8, null, header("PRIVATE KEY")),
        Arguments.of(KeyType.EC_P256, KeyFormat.SEC1, null, header("EC PRIVATE KEY")),
        Arguments.of(KeyType.EC_P384, KeyFormat.PKCS8, "s3cret", header("ENCRYPTED PRIVATE KEY")),
        Arguments.of(KeyType.RSA_2048, KeyFormat.PKCS1, null, header("RSA PRIVATE KEY")),
        Arguments.of(KeyType.RSA_2048, KeyFormat.PKCS8, null, header("PRIVATE KEY")),
        Arguments.of(KeyType.ED25519, KeyFormat.PKCS8, null, header("PRIVATE KEY")),
        Arguments.of(KeyType.ED25519, KeyFormat.PKCS8, "pw", header("ENCRYPTED PRIVATE KEY")));
  }

  @ParameterizedTest
  @MethodSource("keyForms")
  void everyKeyFormReadsBackAndMatchesItsCertificate(KeyType type, KeyFormat format, String password, String header) {
    CertifiedKey thing = CA.issueThing("k", type, 10);
    String pem = Pem.privateKey(thing.privateKey(), format, password == null ? null : password.toCharArray());

    assertThat(pem).startsWith(header);
    PasswordSource passwords = password == null ? PasswordSource.none() : PasswordSource.of(password.toCharArray());
    PrivateKey read = Pem.parsePrivateKey(pem, "thing.key", passwords);
    assertThat(KeyMatch.matches(thing.certificate(), read)).isTrue();
  }

  @Test
  void wrongOrMissingPasswordIsNamed() {
    String pem = Pem.privateKey(CA.issueThing("k", KeyType.EC_P256, 10).privateKey(), KeyFormat.PKCS8, "right".toCharArray());

    assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "thing.key", PasswordSource.of("wrong".toCharArray())))
        .isInstanceOf(CertsException.class).hasMessage("wrong password for the encrypted key thing.key");
    assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "thing.key", PasswordSource.none()))
        .hasMessage("thing.key is an encrypted key and no password was given");
  }

  @Test
  void aFileWithSeveralCertificatesReadsAsAChain() {
    CertificateAuthority intermediate = CA.issueIntermediate("i", KeyType.EC_P256, 10);
    CertifiedKey thing = intermediate.issueThing("k", KeyType.EC_P256, 10);

    List<java.security.cert.X509Certificate> read = Pem.parseCertificates(Pem.certificates(thing.chain()), "chain.crt");

    assertThat(read).containsExactlyElementsOf(thing.chain());
  }

  @Test
  void badInputIsOneLineNamingTheFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "hello, not a certificate\n");
    Path damaged = Files.writeString(dir.resolve("damaged.crt"), "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("absent.crt"))).hasMessage("no such file: " + dir.resolve("absent.crt"));
    assertThatThrownBy(() -> Pem.readCertificates(garbage)).hasMessage(garbage + " is not PEM (no '-----BEGIN' line)");
    assertThatThrownBy(() -> Pem.readCertificates(damaged)).hasMessage(damaged
        + " holds a damaged PEM block: its base64 text is damaged (a character that is not base64, or part of a line missing)");
    assertThatThrownBy(() -> Pem.readPrivateKey(dir, PasswordSource.none())).hasMessage(dir + " is a directory, not a PEM file");
  }

  @Test
  void aBlockThingstormHasNoUseFor_andTwoKeysInOneFile_areNamedAsSuch() throws Exception {
    Path dsa = Files.writeString(dir.resolve("dsa.pem"), "-----BEGIN DSA PARAMETERS-----\nMAA=\n-----END DSA PARAMETERS-----\n");
    assertThatThrownBy(() -> Pem.readPrivateKey(dsa, PasswordSource.none())).isInstanceOf(CertsException.class)
        .hasMessage(dsa + " holds a PEM block of type DSA PARAMETERS, which thingstorm does not read "
            + "(it reads certificates, certificate requests, and RSA, EC and Ed25519 private keys)");
    String one = Pem.privateKey(CA.issueThing("a", KeyType.EC_P256, 10).privateKey(), KeyFormat.PKCS8, null);
    String other = Pem.privateKey(CA.issueThing("b", KeyType.RSA_2048, 10).privateKey(), KeyFormat.PKCS1, null);
    Path two = Files.writeString(dir.resolve("two.key"), one + other);
    assertThatThrownBy(() -> Pem.readPrivateKey(two, PasswordSource.none())).isInstanceOf(CertsException.class)
        .hasMessage(two + " holds 2 private keys: give a file with one");
  }

  @Test
  void aCertificateOrKeyWithLinesMissingIsSaidSoWithoutTheParsersWords() throws Exception {
    CertifiedKey thing = CA.issueThing("k", KeyType.EC_P256, 10);
    List<String> cert = Pem.certificate(thing.certificate()).lines().toList();
    List<String> key = Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, null).lines().toList();
    // A copy and paste that lost the middle: the base64 is valid, the structure inside is cut short.
    Path cutCert = Files.write(dir.resolve("cut.crt"), List.of(cert.get(0), cert.get(1), cert.get(2), cert.get(cert.size() - 1)));
    Path cutKey = Files.write(dir.resolve("cut.key"), List.of(key.get(0), key.get(1), key.get(key.size() - 1)));

    assertThatThrownBy(() -> Pem.readCertificates(cutCert)).hasMessage(cutCert
        + " holds a damaged PEM block: its certificate is cut short or corrupted (lines missing or changed between BEGIN and END)");
    assertThatThrownBy(() -> Pem.readPrivateKey(cutKey, PasswordSource.none())).hasMessage(cutKey
        + " holds a damaged PEM block: its private key is cut short or corrupted (lines missing or changed between BEGIN and END)");
  }

  @Test
  void privateKeysAreWrittenOwnerOnlyAndNeverOverwrittenWithoutForce() throws Exception {
    Path key = dir.resolve("thing.key");
    OutputFiles.writePrivate(key, "first", false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThatThrownBy(() -> OutputFiles.writePrivate(key, "second", false)).hasMessageContaining("exists already");
    assertThat(Files.readString(key)).isEqualTo("first");
    OutputFiles.writePrivate(key, "second", true);
    assertThat(Files.readString(key)).isEqualTo("second");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temp files left behind").containsExactly(key);
    }
  }

  /** A PEM header, spelled out in two parts so that this file is not mistaken for one holding a key. */
  static String header(String label) {
    return "-----BEGIN " + label + "-----";
  }
}
