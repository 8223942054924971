package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's TLS with Bouncy Castle's X25519 and Conscrypt's P-256 key shares, against a real mosquitto (OpenSSL). */
class KeySharesTest {
  @TempDir static Path dir;
  static TestPki pki;
  static Mosquitto broker;

  @BeforeAll
  static void startBroker() {
    pki = TestPki.create(dir);
    broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey());
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) broker.close();
  }

  @AfterEach
  void backToTheJdksOwn() {
    KeyShares.uninstall();
  }

  static ThingIdentity thing(String key) {
    return ThingIdentity.builder().certifiedKey(pki.ca.issueThing(key, KeyType.EC_P256, 90)).build();
  }

  static byte[] agree(KeyAgreement agreement, java.security.PrivateKey mine, java.security.PublicKey theirs) throws Exception {
    agreement.init(mine);
    agreement.doPhase(theirs, true);
    return agreement.generateSecret();
  }

  @Test
  void theJdksTlsMakesItsKeySharesWithThemOnceInstalled() {
    TlsSettings jdk = TlsSettings.builder().caBundle(pki.caFile()).provider(TlsProvider.JDK).build();
    assertThat(KeyShares.install()).isTrue();
    assertThat(Security.getProviders()[0].getName()).isEqualTo(KeyShares.PROVIDER_NAME);

    long x25519 = KeyShares.x25519Agreements();
    long p256 = KeyShares.p256KeyPairGenerators();
    // The JDK's default groups: mosquitto (OpenSSL) takes x25519, the first share.
    TlsProvidersAndVersionsTest.connect(jdk, thing("shares-default"), broker.tlsPort);
    assertThat(KeyShares.x25519Agreements() - x25519).isEqualTo(1);
    assertThat(KeyShares.p256KeyPairGenerators() - p256).as("the second share, secp256r1").isGreaterThanOrEqualTo(1);

    // P-256 alone: Conscrypt's key pair, and its agreement with OpenSSL's share.
    long p256Only = KeyShares.p256KeyPairGenerators();
    TlsProvidersAndVersionsTest.connect(jdk.newBuilder().namedGroups("secp256r1").build(), thing("shares-p256"), broker.tlsPort);
    assertThat(KeyShares.p256KeyPairGenerators() - p256Only).isGreaterThanOrEqualTo(1);

    // X448 and TLS 1.2's ECDHE still work: handed to the JDK, or done by the same code.
    TlsProvidersAndVersionsTest.connect(jdk.newBuilder().namedGroups("x448").build(), thing("shares-x448"), broker.tlsPort);
    long before12 = KeyShares.x25519Agreements();
    TlsProvidersAndVersionsTest.connect(jdk.newBuilder().tls12Only().build(), thing("shares-12"), broker.tlsPort);
    assertThat(KeyShares.x25519Agreements() - before12).as("TLS 1.2 ECDHE over x25519").isEqualTo(1);
  }

  @Test
  void anX25519AgreementEqualsTheJdksFromEitherSide() throws Exception {
    KeyShares.install();
    KeyPair ours = KeyPairGenerator.getInstance("XDH", KeyShares.PROVIDER_NAME).generateKeyPair();
    KeyPairGenerator jdkGenerator = KeyPairGenerator.getInstance("XDH", "SunEC");
    jdkGenerator.initialize(NamedParameterSpec.X25519);
    KeyPair theirs = jdkGenerator.generateKeyPair();

    byte[] bySunEc = agree(KeyAgreement.getInstance("XDH", "SunEC"), theirs.getPrivate(), ours.getPublic());
    byte[] byUs = agree(KeyAgreement.getInstance("XDH", KeyShares.PROVIDER_NAME), ours.getPrivate(), theirs.getPublic());
    assertThat(byUs).hasSize(32).isEqualTo(bySunEc);
    // The JDK's own private key taken by ours, and ours by the JDK's.
    assertThat(agree(KeyAgreement.getInstance("XDH", KeyShares.PROVIDER_NAME), theirs.getPrivate(), ours.getPublic())).isEqualTo(bySunEc);
    assertThat(agree(KeyAgreement.getInstance("XDH", "SunEC"), ours.getPrivate(), theirs.getPublic())).isEqualTo(bySunEc);

    // Their encoded forms are RFC 8410's: the JDK reads them back as the same keys.
    KeyFactory xdh = KeyFactory.getInstance("XDH", "SunEC");
    XECPublicKey decoded = (XECPublicKey) xdh.generatePublic(new X509EncodedKeySpec(ours.getPublic().getEncoded()));
    assertThat(decoded.getU()).isEqualTo(((XECPublicKey) ours.getPublic()).getU());
    XECPrivateKey decodedPrivate = (XECPrivateKey) xdh.generatePrivate(new PKCS8EncodedKeySpec(ours.getPrivate().getEncoded()));
    assertThat(decodedPrivate.getScalar()).hasValueSatisfying(s -> assertThat(s).isEqualTo(((XECPrivateKey) ours.getPrivate()).getScalar().orElseThrow()));
  }

  @Test
  void aPeerKeyOfSmallOrderIsRefused() throws Exception {
    KeyShares.install();
    KeyPair ours = KeyPairGenerator.getInstance("XDH", KeyShares.PROVIDER_NAME).generateKeyPair();
    java.security.PublicKey zero = KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.ZERO));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH", KeyShares.PROVIDER_NAME);
    agreement.init(ours.getPrivate());
    assertThatThrownBy(() -> agreement.doPhase(zero, true)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("small order");
  }

  @Test
  void x448IsHandedToTheJdk() throws Exception {
    KeyShares.install();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("XDH", KeyShares.PROVIDER_NAME);
    generator.initialize(NamedParameterSpec.X448);
    KeyPair ours = generator.generateKeyPair();
    KeyPairGenerator jdkGenerator = KeyPairGenerator.getInstance("XDH", "SunEC");
    jdkGenerator.initialize(NamedParameterSpec.X448);
    KeyPair theirs = jdkGenerator.generateKeyPair();

    assertThat(agree(KeyAgreement.getInstance("XDH", KeyShares.PROVIDER_NAME), ours.getPrivate(), theirs.getPublic()))
        .hasSize(56).isEqualTo(agree(KeyAgreement.getInstance("XDH", "SunEC"), theirs.getPrivate(), ours.getPublic()));
  }
  @Test
  void p256KeyPairsComeFromConscryptAndAgreeWithTheJdksOwn() throws Exception {
    assertThat(KeyShares.install()).isTrue();
    KeyPairGenerator ours = KeyPairGenerator.getInstance("EC");
    assertThat(ours.getProvider().getName()).isEqualTo(KeyShares.PROVIDER_NAME);
    ours.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    KeyPair mine = ours.generateKeyPair();
    var mineW = ((java.security.interfaces.ECPublicKey) mine.getPublic()).getW();
    assertThat(((java.security.interfaces.ECPublicKey) mine.getPublic()).getParams().getOrder())
        .isEqualTo(P256KeyPairs.P256.getOrder());

    KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC", "SunEC");
    jdk.initialize(P256KeyPairs.P256);
    KeyPair theirs = jdk.generateKeyPair();
    // Our key's point, read through its encoding by the JDK, is the point it says it is...
    var decoded = (java.security.interfaces.ECPublicKey) KeyFactory.getInstance("EC", "SunEC")
        .generatePublic(new X509EncodedKeySpec(mine.getPublic().getEncoded()));
    assertThat(decoded.getW()).isEqualTo(mineW);
    // ...and an agreement made with our private key equals the JDK's from the other side.
    byte[] ourSide = agree(KeyAgreement.getInstance("ECDH"), mine.getPrivate(), theirs.getPublic());
    byte[] theirSide = agree(KeyAgreement.getInstance("ECDH", "SunEC"), theirs.getPrivate(), decoded);
    assertThat(ourSide).isEqualTo(theirSide);
    assertThat(ours.generateKeyPair().getPublic()).as("a new key each time")
        .extracting(k -> ((java.security.interfaces.ECPublicKey) k).getW()).isNotEqualTo(mineW);
  }

  @Test
  void otherCurvesAreHandedToTheJdk() throws Exception {
    assertThat(KeyShares.install()).isTrue();
    KeyPairGenerator ours = KeyPairGenerator.getInstance("EC");
    ours.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    var p384 = (java.security.interfaces.ECPublicKey) ours.generateKeyPair().getPublic();
    assertThat(p384.getParams().getOrder().bitLength()).isEqualTo(384);
    ours.initialize(256);
    var p256 = (java.security.interfaces.ECPublicKey) ours.generateKeyPair().getPublic();
    assertThat(p256.getParams().getOrder()).isEqualTo(P256KeyPairs.P256.getOrder());
  }
}
