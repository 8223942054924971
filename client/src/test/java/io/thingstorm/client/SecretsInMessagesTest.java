package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertificateDescription;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyMatch;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the library's value types and exceptions say never holds a thing key, a private key or a key
 * password in full: their toString() and getMessage(), for a thing whose certificate's CN is its key.
 */
class SecretsInMessagesTest {
  static final String THING_KEY = "9d2c7e4a-1b3f-4a6d-8e5c-7f0a1b2c3d4e";
  static final String PASSWORD = "pw-Hx7Kq2Lm9Nz";

  @TempDir Path dir;

  @Test
  void valuesAndExceptionsHoldingSecretsShowThemMasked() throws Exception {
    CertificateAuthority ca = CertificateAuthority.createRoot("secrets CA", KeyType.EC_P256, 30);
    CertifiedKey thing = ca.issueThing(THING_KEY, KeyType.EC_P256, 20); // under 30 days: warns
    CertifiedKey other = ca.issueThing("someone-else-0000", KeyType.EC_P256, 90);
    Path caFile = Files.writeString(dir.resolve("ca.crt"), Pem.certificates(ca.certifiedKey().chain()));
    Path certFile = Files.writeString(dir.resolve("thing.crt"), Pem.certificates(thing.chain()));
    Path keyFile = Files.writeString(dir.resolve("thing.key"), Pem.privateKey(thing.privateKey(), KeyFormat.PKCS8, PASSWORD.toCharArray()));
    Path otherKey = Files.writeString(dir.resolve("other.key"), Pem.privateKey(other.privateKey(), KeyFormat.PKCS8, null));
    List<String> said = new ArrayList<>();

    ThingIdentity identity = ThingIdentity.builder().certificateFile(certFile).privateKeyFile(keyFile)
        .keyPasswords(source -> PASSWORD.toCharArray())
        .expiryListener((i, left) -> said.add("expires: " + i)).build();
    said.add(identity.toString());
    said.add(identity.displayName());
    said.add(identity.maskedThingKey());
    said.add(thing.toString());
    said.add(CertificateDescription.of(thing.certificate()).toText());
    said.add(CertificateDescription.of(thing.certificate()).toString());
    said.add(new Thing("thing-1", THING_KEY, "channel-1").toString());
    said.add(new ManifestEntry(new Thing("thing-1", THING_KEY, "channel-1"), certFile, keyFile).toString());
    TlsSettings tls = TlsSettings.builder().caBundle(caFile).build();
    try (Device device = Device.builder().url("mqtts://127.0.0.1:1").identity(identity).tls(tls).build()) {
      said.add(device.toString());
    }
    try (Device device = Device.builder().url("https://127.0.0.1:1/http").identity(identity).tls(tls)
        .profile(PlatformProfile.mainflux().withAuthorization(AuthorizationFormat.THING)).offlineBuffer(0).build()) {
      said.add(device.toString());
      said.add(message(catchThrowable(() -> device.publish("channel-1", "[{\"n\":\"x\",\"v\":1}]".getBytes()))));
    }
    // failures: wrong password, a key that is not the certificate's, an identity without its key
    said.add(message(catchThrowable(() -> ThingIdentity.builder().certificateFile(certFile).privateKeyFile(keyFile)
        .keyPasswords(source -> ("wrong-" + PASSWORD).toCharArray()).build())));
    said.add(message(catchThrowable(() -> ThingIdentity.builder().certificateFile(certFile).privateKeyFile(otherKey).build())));
    said.add(message(catchThrowable(() -> ThingIdentity.builder().certificateFile(certFile).privateKeyFile(keyFile).build())));
    said.add(message(catchThrowable(() -> KeyMatch.require(new CertifiedKey(thing.chain(), other.privateKey())))));
    said.add(message(catchThrowable(() -> Pem.readPrivateKey(keyFile, PasswordSource.none()))));
    said.add(message(catchThrowable(() -> Pem.readPrivateKey(keyFile, source -> ("wrong-" + PASSWORD).toCharArray()))));

    assertThat(said).hasSizeGreaterThan(15).anyMatch(s -> s.contains("9d2c****")).anyMatch(s -> s.startsWith("expires: "));
    assertThat(said).filteredOn(s -> s.contains("exception") || s.contains("Exception")).isNotEmpty(); // the failures were caught
    String base64 = Base64.getEncoder().encodeToString(thing.privateKey().getEncoded());
    String encrypted = Files.readString(keyFile).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    for (String text : said) {
      assertThat(text).doesNotContain(THING_KEY).doesNotContain(PASSWORD).doesNotContain(encrypted.substring(0, 32));
      for (int i = 0; i + 32 <= base64.length(); i += 16) assertThat(text).doesNotContain(base64.substring(i, i + 32));
    }
  }

  /** The exception's class, its message and those of its causes, as a stack trace would show them. */
  private static String message(Throwable thrown) {
    assertThat(thrown).isNotNull();
    StringBuilder text = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      text.append(t).append(" | ").append(t.getMessage()).append('\n');
      if (t instanceof DeviceException || t instanceof CertsException) text.append("exception\n");
    }
    return text.toString();
  }
}
