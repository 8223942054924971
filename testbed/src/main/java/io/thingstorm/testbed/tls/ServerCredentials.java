package io.thingstorm.testbed.tls;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyMatch;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.testbed.TestbedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The testbed's trust and server identity, in Mainflux's docker/ssl layout: {@code ca.crt} (the CA
 * bundle clients are checked against; several CAs may be appended), {@code ca.key},
 * {@code server.crt}, {@code server.key}. What the folder lacks is created with the certs module.
 */
public final class ServerCredentials {
  static final String SERVER = "server";

  private final Path caFile;
  private final List<X509Certificate> trusted;
  private final CertifiedKey server;
  private final CertificateAuthority authority;

  private ServerCredentials(Path caFile, List<X509Certificate> trusted, CertifiedKey server, CertificateAuthority authority) {
    this.caFile = caFile;
    this.trusted = List.copyOf(trusted);
    this.server = server;
    this.authority = authority;
  }

  /**
   * Uses what {@code dir} holds and creates the rest: a CA (ec-p256, 1095 days) when there is no
   * {@code ca.crt}, and a server certificate for localhost and 127.0.0.1 (1000 days) when there is no
   * {@code server.crt}, signed by the CA, which then needs its key; an encrypted CA key takes its
   * password from {@code caPasswords}.
   */
  public static ServerCredentials prepare(Path dir, PasswordSource caPasswords) {
    CaDirectory files = CaDirectory.at(dir);
    Path caFile = files.certFile("ca");
    Path caKey = files.keyFile("ca");
    boolean hasServer = Files.exists(files.certFile(SERVER)) && Files.exists(files.keyFile(SERVER));
    CertificateAuthority authority = null;
    if (hasServer && !Files.exists(caFile)) {
      throw new TestbedException(dir + " has server.crt but no ca.crt: put the CA that signed it (and the things' CA) there");
    }
    if (Files.exists(caFile) && Files.exists(caKey)) {
      authority = files.load(null, caPasswords);
    } else if (!Files.exists(caFile)) {
      authority = CertificateAuthority.createRoot("thingstorm testbed CA", KeyType.EC_P256, 1095);
      files.write("ca", authority.certifiedKey(), KeyFormat.PKCS8, null, false);
    } else if (!hasServer) {
      throw new TestbedException(dir + " has ca.crt but neither ca.key nor server.crt and server.key: the testbed cannot make a server certificate");
    }
    CertifiedKey server;
    if (hasServer) {
      List<X509Certificate> chain = Pem.readCertificates(files.certFile(SERVER));
      server = new CertifiedKey(chain, Pem.readPrivateKey(files.keyFile(SERVER), PasswordSource.none()));
      if (!KeyMatch.matches(server.certificate(), server.privateKey())) {
        throw new TestbedException(files.keyFile(SERVER) + " does not match " + files.certFile(SERVER));
      }
    } else {
      server = authority.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"), authority.keyType(), 1000);
      files.write(SERVER, server, KeyFormat.PKCS8, null, false);
    }
    return new ServerCredentials(caFile, Pem.readCertificates(caFile), server, authority);
  }

  /** The CA bundle that client certificates are verified against, and that clients trust. */
  public Path caFile() {
    return caFile;
  }

  public List<X509Certificate> trustedCertificates() {
    return trusted;
  }

  public CertifiedKey server() {
    return server;
  }

  /** The CA with its key, when the testbed has it: to issue more things at runtime. */
  public Optional<CertificateAuthority> authority() {
    return Optional.ofNullable(authority);
  }

  public KeyStore keyStore(char[] password) {
    return server.keyStore("server", password);
  }

  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.size(); i++) store.setCertificateEntry("ca-" + i, trusted.get(i));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new TestbedException("cannot build the trust store: " + e.getMessage(), e);
    }
  }

  /** Writes a key store as an owner-only PKCS#12 file, for HiveMQ, which reads only files. */
  public static void writeOwnerOnly(KeyStore store, char[] password, Path file) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
        store.store(out, password);
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new TestbedException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
