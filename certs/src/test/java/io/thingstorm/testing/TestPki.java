package io.thingstorm.testing;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway PKI in a test's temp folder: a CA, a server certificate for localhost/127.0.0.1, and
 * things on demand, written as Mainflux's docker/ssl layout (ca.crt, server.crt, NAME.crt).
 */
public final class TestPki {
  public final Path dir;
  public final CertificateAuthority ca;
  private final CaDirectory files;

  private TestPki(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
    this.files = CaDirectory.at(dir);
  }

  public static TestPki create(Path dir) {
    return create(dir, "thingstorm test CA");
  }

  public static TestPki create(Path dir, String caName) {
    return create(dir, caName, List.of());
  }

  /** As {@link #create(Path, String)}, the server certificate also naming these IP addresses (a namespace's). */
  public static TestPki create(Path dir, String caName, List<String> moreServerAddresses) {
    CertificateAuthority ca = CertificateAuthority.createRoot(caName, KeyType.EC_P256, 30);
    TestPki pki = new TestPki(dir, ca);
    pki.files.write("ca", ca.certifiedKey(), KeyFormat.PKCS8, null, false);
    List<String> addresses = new java.util.ArrayList<>(List.of("127.0.0.1"));
    addresses.addAll(moreServerAddresses);
    CertifiedKey server = ca.issueServer("localhost", List.of("localhost"), addresses, KeyType.EC_P256, 30);
    pki.files.write("server", server, KeyFormat.PKCS8, null, false);
    return pki;
  }

  public Path caFile() {
    return files.certFile("ca");
  }

  public Path serverCert() {
    return files.certFile("server");
  }

  public Path serverKey() {
    return files.keyFile("server");
  }

  /** Issues and writes NAME.crt/NAME.key for a thing whose CN is its key. */
  public CertifiedKey thing(String name, String thingKey) {
    CertifiedKey thing = ca.issueThing(thingKey, KeyType.EC_P256, 30);
    files.write(name, thing, KeyFormat.PKCS8, null, false);
    return thing;
  }

  public Path certFile(String name) {
    return files.certFile(name);
  }

  public Path keyFile(String name) {
    return files.keyFile(name);
  }
}
