package io.thingstorm.client;

import io.thingstorm.certs.CertificateRole;
import io.thingstorm.certs.CertificateSpec;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.testing.TestPki;
import java.time.Duration;
import java.time.Instant;

/** Thing identities for tests, quiet about the 30-day test certificates expiring soon. */
final class Things {
  private Things() {}

  static ThingIdentity identity(CertifiedKey key) {
    return ThingIdentity.builder().certifiedKey(key).expiryListener((identity, left) -> {}).build();
  }

  static ThingIdentity identity(TestPki pki, String thingKey) {
    return identity(pki.ca.issueThing(thingKey, KeyType.EC_P256, 30));
  }

  /** A certificate that ended yesterday. */
  static CertifiedKey expired(TestPki pki, String thingKey) {
    Instant now = Instant.now();
    return pki.ca.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName(thingKey)
        .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).build(), KeyType.EC_P256);
  }

  /** A certificate that starts tomorrow. */
  static CertifiedKey notYetValid(TestPki pki, String thingKey) {
    Instant now = Instant.now();
    return pki.ca.issue(CertificateSpec.builder(CertificateRole.CLIENT).commonName(thingKey)
        .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))).build(), KeyType.EC_P256);
  }
}
