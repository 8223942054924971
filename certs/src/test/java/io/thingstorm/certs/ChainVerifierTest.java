package io.thingstorm.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  private final CertificateAuthority platformCa = CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 30);
  private final CertificateAuthority customCa = CertificateAuthority.createRoot("custom CA", KeyType.RSA_2048, 30);

  @Test
  void aBundleWithACustomCaAppendedTrustsBoth() {
    // cat custom_ca.crt >> cybus_ca.crt, as the Cybus guide does.
    ChainVerifier bundle = new ChainVerifier(List.of(platformCa.certificate(), customCa.certificate()));

    assertThat(bundle.verify(platformCa.issueThing("a", KeyType.EC_P256, 10).chain()).reason()).isEqualTo("OK");
    assertThat(bundle.verify(customCa.issueThing("b", KeyType.EC_P256, 10).chain()).reason()).isEqualTo("OK");
  }

  @Test
  void aCertificateFromAnotherCaHasNoLocalIssuer() {
    ChainVerifier bundle = new ChainVerifier(List.of(platformCa.certificate()));

    ChainVerifier.Verdict verdict = bundle.verify(customCa.issueThing("b", KeyType.EC_P256, 10).chain());

    assertThat(verdict.ok()).isFalse();
    assertThat(verdict.reason()).isEqualTo("unable to get local issuer certificate");
  }

  @Test
  void aCaWithTheSameNameButAnotherKeyIsNoIssuer_asOpensslSays() {
    CertificateAuthority impostor = CertificateAuthority.createRoot("platform CA", KeyType.EC_P256, 30);
    ChainVerifier bundle = new ChainVerifier(List.of(platformCa.certificate()));

    // Its authority key identifier names another key than the trusted CA's.
    assertThat(bundle.verify(impostor.issueThing("x", KeyType.EC_P256, 10).chain()).reason())
        .isEqualTo("unable to get local issuer certificate");
  }

  @Test
  void expiredAndNotYetValidAreNamedAsOpensslNamesThem() {
    ChainVerifier bundle = new ChainVerifier(List.of(platformCa.certificate()));
    Instant now = Instant.now();
    CertifiedKey expired = platformCa.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName("old")
        .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).build(), KeyType.EC_P256);
    CertifiedKey future = platformCa.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName("new")
        .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))).build(), KeyType.EC_P256);

    assertThat(bundle.verify(expired.chain()).reason()).isEqualTo("certificate has expired");
    assertThat(bundle.verify(future.chain()).reason()).isEqualTo("certificate is not yet valid");
  }

  @Test
  void chainsThroughAnIntermediateFromTheCertFileOrTheBundle() {
    CertificateAuthority intermediate = platformCa.issueIntermediate("line 4", KeyType.EC_P256, 30);
    CertifiedKey thing = intermediate.issueThing("k", KeyType.EC_P256, 10);

    assertThat(new ChainVerifier(List.of(platformCa.certificate())).verify(thing.chain()).ok()).isTrue();
    ChainVerifier withIntermediate = new ChainVerifier(List.of(platformCa.certificate(), intermediate.certificate()));
    assertThat(withIntermediate.verify(List.of(thing.certificate())).ok()).isTrue();
    assertThat(new ChainVerifier(List.of(platformCa.certificate())).verify(List.of(thing.certificate())).reason())
        .isEqualTo("unable to get local issuer certificate");
  }
}
