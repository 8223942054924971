package io.thingstorm.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateAuthorityTest {
  private final CertificateAuthority ca = CertificateAuthority.createRoot("test CA", KeyType.EC_P256, 30);

  @Test
  void rootIsASelfSignedCa() throws Exception {
    X509Certificate root = ca.certificate();
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
    root.verify(root.getPublicKey());
  }

  @Test
  void thingCertificateCarriesTheThingKeyAsCnAndIsForClients() throws Exception {
    CertifiedKey thing = ca.issueThing("5f8e41cc-thing-key", KeyType.EC_P256, 730);

    assertThat(thing.commonName()).isEqualTo("5f8e41cc-thing-key");
    assertThat(thing.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(thing.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(KeyMatch.matches(thing.certificate(), thing.privateKey())).isTrue();
    thing.certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  void serverCertificateHasItsNamesAsSans() throws Exception {
    CertifiedKey server = ca.issueServer("localhost", List.of("localhost", "mqtt.example"), List.of("127.0.0.1"), KeyType.EC_P256, 1000);

    assertThat(server.certificate().getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder("localhost", "mqtt.example", "127.0.0.1");
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void aCertifiedKeyGoesIntoAKeyStoreThatAJsseServerTakes() throws Exception {
    CertificateAuthority intermediate = ca.issueIntermediate("factory floor", KeyType.EC_P256, 365);
    CertifiedKey server = intermediate.issueServer("localhost", List.of("localhost"), List.of(), KeyType.EC_P256, 30);
    char[] password = "changeit".toCharArray();

    java.security.KeyStore store = server.keyStore("server", password);
    var factory = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    var keys = (javax.net.ssl.X509KeyManager) factory.getKeyManagers()[0];

    String alias = keys.chooseServerAlias("EC", null, null);
    assertThat(keys.getCertificateChain(alias)).containsExactlyElementsOf(server.chain()).hasSize(2);
    assertThat(keys.getPrivateKey(alias).getEncoded()).isEqualTo(server.privateKey().getEncoded());
  }

  @Test
  void thingIssuedByAnIntermediateCarriesTheIntermediateInItsChain() {
    CertificateAuthority intermediate = ca.issueIntermediate("factory floor", KeyType.EC_P256, 365);
    CertifiedKey thing = intermediate.issueThing("k1", KeyType.EC_P256, 30);

    assertThat(thing.chain()).hasSize(2);
    assertThat(thing.chain().get(1)).isEqualTo(intermediate.certificate());
    assertThat(intermediate.certificate().getBasicConstraints()).isEqualTo(0);
    assertThat(new ChainVerifier(List.of(ca.certificate())).verify(thing.chain()).ok()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyKeyTypeIssuesAndSigns(KeyType type) throws Exception {
    CertificateAuthority typed = CertificateAuthority.createRoot("ca " + type, type, 10);
    CertifiedKey thing = typed.issueThing("k-" + type, type, 10);

    assertThat(thing.keyType()).isEqualTo(type);
    thing.certificate().verify(typed.certificate().getPublicKey());
  }

  @Test
  void aCaMustMatchItsKeyAndBeACa() {
    CertifiedKey thing = ca.issueThing("k", KeyType.EC_P256, 10);
    assertThatThrownBy(() -> CertificateAuthority.of(thing)).isInstanceOf(CertsException.class).hasMessageContaining("is not a CA");

    CertifiedKey mismatched = new CertifiedKey(ca.certifiedKey().chain(), thing.privateKey());
    assertThatThrownBy(() -> CertificateAuthority.of(mismatched)).hasMessageContaining("does not match");
  }

  @Test
  void emptyCnAndZeroDaysAreRefused() {
    assertThatThrownBy(() -> ca.issueThing(" ", KeyType.EC_P256, 10)).hasMessage("the CN must not be empty");
    assertThatThrownBy(() -> ca.issueThing("k", KeyType.EC_P256, 0)).hasMessage("days must be at least 1, not 0");
  }

  @Test
  void unknownKeyTypeNamesTheKnownOnes() {
    assertThatThrownBy(() -> KeyType.parse("dsa-1024"))
        .hasMessage("unknown key type 'dsa-1024' (known: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519)");
  }
}
