package io.thingstorm.loadgen.fleet;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.FleetIssuer;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A fleet's identities kept in a folder between runs ({@code fleet.identities}), in the layout that
 * {@code certs bulk} writes: {@code things.csv} and {@code things/<thing_id>.crt|.key} (keys and
 * manifest owner-only, the new {@code things/} folder renamed into place once whole). The first run
 * issues into it; later runs read it instead of issuing, after {@link #requireFits} said it suits.
 *
 * <p>A stored fleet is never replaced or grown: one that does not suit is refused, and the user
 * removes the folder or names another.
 */
public final class IdentityFolder {
  private final Path dir;

  private IdentityFolder(Path dir) {
    this.dir = dir;
  }

  public static IdentityFolder at(Path dir) {
    return new IdentityFolder(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path manifest() {
    return dir.resolve(ThingManifest.FILE_NAME);
  }

  /** Whether an earlier run (or {@code certs bulk}) left a fleet here. */
  public boolean holdsFleet() {
    return Files.exists(manifest());
  }

  /** Issues {@code things}' identities into the folder, on every core; the manifest is written last. */
  public List<ManifestEntry> issue(CertificateAuthority ca, List<Thing> things, KeyType keyType, long days) {
    return issue(ca, things, keyType, days, () -> false, () -> {});
  }

  /** As above, given up (nothing written) once {@code stopped} says so, calling {@code issued} after each thing. */
  public List<ManifestEntry> issue(CertificateAuthority ca, List<Thing> things, KeyType keyType, long days, BooleanSupplier stopped,
      Runnable issued) {
    return FleetIssuer.builder(ca).keyType(keyType).days(days).stopWhen(stopped).onIssued(issued).build().issue(dir, things);
  }

  /** The stored fleet's rows, in order. */
  public List<ManifestEntry> read() {
    return ThingManifest.read(manifest());
  }

  /**
   * Refuses, in one line, a stored fleet that cannot serve {@code count} devices of {@code keyType}
   * whose certificates chain to {@code ca}: fewer things, another key type, another CA. Checks the
   * first and last things' certificates, not every one: a folder is written by one issuer at once.
   */
  public static void requireFits(List<ManifestEntry> stored, Path dir, int count, KeyType keyType, X509Certificate ca) {
    String remedy = ": remove it, or name another folder, to issue a new fleet";
    if (stored.size() < count) {
      throw new CertsException(dir + " holds " + stored.size() + " things, the fleet needs " + count + remedy);
    }
    for (ManifestEntry entry : List.of(stored.get(0), stored.get(count - 1))) {
      X509Certificate cert = Pem.readCertificates(entry.cert()).get(0);
      KeyType stored0 = KeyType.of(cert.getPublicKey());
      if (stored0 != keyType) {
        throw new CertsException(dir + " holds " + stored0.label() + " identities, the fleet asks for " + keyType.label() + remedy);
      }
      if (!signedBy(cert, ca)) {
        throw new CertsException(dir + " holds certificates not issued by " + ca.getSubjectX500Principal().getName()
            + " (" + entry.cert().getFileName() + ")" + remedy);
      }
    }
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) return false;
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
