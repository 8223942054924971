package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThingIdentityTest {
  @TempDir static Path dir;
  static TestPki pki;

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir);
  }

  @Test
  void theThingKeyIsTheCommonNameUnlessGiven() {
    pki.thing("sensor", "4f8a1c2e-key-of-the-thing");
    ThingIdentity identity = ThingIdentity.builder()
        .certificateFile(pki.certFile("sensor")).privateKeyFile(pki.keyFile("sensor"))
        .thingId("thing-17").expiryListener((i, left) -> {}).build();

    assertThat(identity.thingKey()).isEqualTo("4f8a1c2e-key-of-the-thing");
    assertThat(identity.thingId()).isEqualTo("thing-17");
    assertThat(identity.toString()).contains("thing-17").contains("4f8a****").doesNotContain("key-of-the-thing");
  }

  @Test
  void theMqttClientIdIsTheThingIdButNeverTheKey() {
    ThingIdentity withId = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("secret-key-1", KeyType.EC_P256, 90)).thingId("thing-1").build();
    ThingIdentity keyOnly = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("secret-key-2", KeyType.EC_P256, 90)).build();
    assertThat(TransportConfig.defaultClientId(withId)).isEqualTo("thing-1");
    assertThat(TransportConfig.defaultClientId(keyOnly)).startsWith("thingstorm-").doesNotContain("secret")
        .isEqualTo(TransportConfig.defaultClientId(keyOnly));
  }

  @Test
  void readsEveryKeyFormAndEncryptedKeys() throws Exception {
    CertifiedKey thing = pki.ca.issueThing("forms", KeyType.EC_P256, 90);
    String cert = Pem.certificates(thing.chain());
    for (String key : List.of(Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, null),
        Pem.privateKey(thing.privateKey(), KeyFormat.SEC1, null))) {
      assertThat(ThingIdentity.builder().certificatePem(cert).privateKeyPem(key).build().thingKey()).isEqualTo("forms");
    }
    CertifiedKey rsa = pki.ca.issueThing("rsa-thing", KeyType.RSA_2048, 90);
    Path rsaKey = Files.writeString(dir.resolve("rsa.key"), Pem.privateKey(rsa.privateKey(), KeyFormat.PKCS1, null));
    Path rsaCert = Files.writeString(dir.resolve("rsa.crt"), Pem.certificates(rsa.chain()));
    assertThat(ThingIdentity.fromFiles(rsaCert, rsaKey).privateKey().getAlgorithm()).isEqualTo("RSA");

    String encrypted = Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, "s3cret".toCharArray());
    assertThat(ThingIdentity.builder().certificatePem(cert).privateKeyPem(encrypted).keyPassword("s3cret".toCharArray())
        .build().thingKey()).isEqualTo("forms");
    assertThatThrownBy(() -> ThingIdentity.builder().certificatePem(cert).privateKeyPem(encrypted)
        .keyPassword("wrong".toCharArray()).build())
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INVALID_IDENTITY))
        .hasMessageContaining("wrong password");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateFailsEarly() {
    pki.thing("a", "key-a");
    pki.thing("b", "key-b");
    assertThatThrownBy(() -> ThingIdentity.fromFiles(pki.certFile("a"), pki.keyFile("b")))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.KEY_MISMATCH))
        .hasMessageContaining("b.key does not belong to");
  }

  /**
   * An RSA-PSS key and a certificate that calls the same modulus rsaEncryption (as a CSR that lost
   * the key's kind gets): the JDK's TLS would send no certificate, and openssl calls it a mismatch.
   */
  @Test
  void anRsaPssKeyWithACertificateForAPlainRsaKeyIsNamed() throws Exception {
    java.security.KeyPair pss = java.security.KeyPairGenerator.getInstance("RSASSA-PSS").generateKeyPair();
    java.security.interfaces.RSAPublicKey half = (java.security.interfaces.RSAPublicKey) pss.getPublic();
    java.security.PublicKey asPlainRsa = java.security.KeyFactory.getInstance("RSA")
        .generatePublic(new java.security.spec.RSAPublicKeySpec(half.getModulus(), half.getPublicExponent()));
    io.thingstorm.certs.CertificateSpec spec = io.thingstorm.certs.CertificateSpec.builder(io.thingstorm.certs.CertificateRole.CLIENT)
        .commonName("pss-thing").days(30).build();
    String plainCert = Pem.certificate(pki.ca.sign(spec, asPlainRsa));
    String pssCert = Pem.certificate(pki.ca.sign(spec, pss.getPublic()));
    String pssKey = Pem.privateKey(pss.getPrivate(), KeyFormat.PKCS8, null);

    assertThat(ThingIdentity.builder().certificatePem(pssCert).privateKeyPem(pssKey).build().thingKey()).isEqualTo("pss-thing");
    assertThatThrownBy(() -> ThingIdentity.builder().certificatePem(plainCert).privateKeyPem(pssKey).build())
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.KEY_MISMATCH))
        .hasMessageContaining("the key is an RSA-PSS key, and the certificate names its key rsaEncryption");
    CertifiedKey rsa = pki.ca.issueThing("rsa-thing-2", KeyType.RSA_2048, 90);
    java.security.interfaces.RSAPublicKey rsaHalf = (java.security.interfaces.RSAPublicKey) rsa.certificate().getPublicKey();
    java.security.PublicKey asPss = java.security.KeyFactory.getInstance("RSASSA-PSS")
        .generatePublic(new java.security.spec.RSAPublicKeySpec(rsaHalf.getModulus(), rsaHalf.getPublicExponent()));
    assertThatThrownBy(() -> ThingIdentity.builder().certificatePem(Pem.certificate(pki.ca.sign(spec, asPss)))
        .privateKeyPem(Pem.privateKey(rsa.privateKey(), KeyFormat.PKCS8, null)).build())
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.KEY_MISMATCH))
        .hasMessageContaining("is a plain RSA key, and the certificate names its key RSA-PSS");
  }

  @Test
  void theKeyCheckTellsEveryKeyTypeApart() {
    // RSA 3072 and 4096 take seconds to generate and check nothing RSA 2048 does not.
    for (KeyType type : new KeyType[] {KeyType.EC_P256, KeyType.EC_P384, KeyType.RSA_2048, KeyType.ED25519}) {
      CertifiedKey one = pki.ca.issueThing("one-" + type, type, 90);
      CertifiedKey other = pki.ca.issueThing("other-" + type, type, 90);
      assertThat(KeyPairCheck.matches(one.certificate(), one.privateKey())).as(type.label()).isTrue();
      assertThat(KeyPairCheck.matches(one.certificate(), other.privateKey())).as(type.label()).isFalse();
    }
    CertifiedKey ec = pki.ca.issueThing("ec", KeyType.EC_P256, 90);
    CertifiedKey rsa = pki.ca.issueThing("rsa", KeyType.RSA_2048, 90);
    assertThat(KeyPairCheck.matches(ec.certificate(), rsa.privateKey())).isFalse();
    assertThat(KeyPairCheck.matches(rsa.certificate(), ec.privateKey())).isFalse();
    CertifiedKey p384 = pki.ca.issueThing("p384", KeyType.EC_P384, 90);
    assertThat(KeyPairCheck.matches(ec.certificate(), p384.privateKey())).isFalse();
  }

  @Test
  void anIdentityHeldCompactlyStillGivesItsCertificateAndKeyWhole() throws Exception {
    for (KeyType type : new KeyType[] {KeyType.EC_P256, KeyType.RSA_2048, KeyType.ED25519}) {
      CertifiedKey issued = pki.ca.issueThing("compact-" + type, type, 90);
      ThingIdentity identity = ThingIdentity.builder().certifiedKey(issued).build();

      // The certificate: the same bytes, key, names and validity as issued.
      assertThat(identity.certificate()).as(type.label()).isEqualTo(issued.certificate());
      assertThat(identity.certificate().getPublicKey()).isEqualTo(issued.certificate().getPublicKey());
      assertThat(identity.certificate().getSubjectX500Principal()).isEqualTo(issued.certificate().getSubjectX500Principal());
      assertThat(identity.certificate().getNotAfter()).isEqualTo(issued.certificate().getNotAfter());
      assertThat(identity.certificate().getSerialNumber()).isEqualTo(issued.certificate().getSerialNumber());
      identity.certificate().verify(pki.ca.certificate().getPublicKey());
      // The key: a new object each time, the same key, and it still signs what the certificate verifies.
      assertThat(identity.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
      assertThat(KeyPairCheck.matches(identity.certificate(), identity.privateKey())).isTrue();
    }
  }

  @Test
  void expiredAndNotYetValidCertificatesFailEarly() {
    assertThatThrownBy(() -> Things.identity(Things.expired(pki, "old-thing")))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CERT_EXPIRED))
        .hasMessageStartingWith("certificate expired: ");
    assertThatThrownBy(() -> Things.identity(Things.notYetValid(pki, "future-thing")))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CERT_NOT_YET_VALID));
  }

  @Test
  void warnsWhenFewerThan30DaysAreLeft() {
    List<Duration> warnings = new ArrayList<>();
    ThingIdentity.builder().certifiedKey(pki.ca.issueThing("soon", KeyType.EC_P256, 10))
        .expiryListener((identity, left) -> warnings.add(left)).build();
    ThingIdentity.builder().certifiedKey(pki.ca.issueThing("later", KeyType.EC_P256, 90))
        .expiryListener((identity, left) -> warnings.add(left)).build();

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).isBetween(Duration.ofDays(9), Duration.ofDays(10));
  }

  @Test
  void missingAndGarbledPemAreOneLine() throws Exception {
    Path garbled = Files.writeString(dir.resolve("garbled.crt"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> ThingIdentity.fromFiles(dir.resolve("missing.crt"), pki.serverKey()))
        .isInstanceOf(DeviceException.class).hasMessageContaining("no such file").hasMessageNotContaining("\n");
    assertThatThrownBy(() -> ThingIdentity.fromFiles(garbled, pki.serverKey()))
        .isInstanceOf(DeviceException.class).hasMessageContaining("damaged PEM").hasMessageNotContaining("\n");
  }
}
