package io.thingstorm.certs;

import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A folder laid out as Mainflux's {@code docker/ssl} is: {@code ca.crt} and {@code ca.key}, beside
 * them intermediates as {@code N.crt}/{@code N.key}, servers and things as {@code NAME.crt}/{@code
 * NAME.key}.
 */
public final class CaDirectory {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path dir;

  private CaDirectory(Path dir) {
    this.dir = dir;
  }

  public static CaDirectory at(Path dir) {
    return new CaDirectory(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path certFile(String name) {
    return dir.resolve(requireSafe(name) + ".crt");
  }

  public Path keyFile(String name) {
    return dir.resolve(requireSafe(name) + ".key");
  }

  public boolean hasRoot() {
    return Files.exists(certFile("ca")) && Files.exists(keyFile("ca"));
  }

  /** The root CA, or, with a name, the intermediate {@code NAME.crt} to sign with. */
  public CertificateAuthority load(String name, PasswordSource passwords) {
    String issuer = name == null ? "ca" : name;
    Path cert = certFile(issuer);
    Path key = keyFile(issuer);
    if (!Files.exists(cert) || !Files.exists(key)) {
      if (name == null) {
        throw new CertsException("no CA in " + dir + " (no ca.crt and ca.key): create one with 'thingstorm certs ca --dir " + dir + "'");
      }
      throw new CertsException("no intermediate '" + name + "' in " + dir + " (no " + name + ".crt and " + name + ".key): create it with 'thingstorm certs intermediate --dir " + dir + " --name " + name + "'");
    }
    List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(cert));
    PrivateKey privateKey = Pem.readPrivateKey(key, passwords);
    // A bundle may have had another CA put before the signing one (the Cybus way appends, but cat
    // goes either way): the certificate of the key is the CA, whatever its place in the file.
    int own = -1;
    for (int i = 0; i < chain.size() && own < 0; i++) {
      if (KeyMatch.matches(chain.get(i), privateKey)) own = i;
    }
    if (own < 0) {
      throw new CertsException(key + " does not match " + cert + (chain.size() == 1 ? ""
          : " (none of its " + chain.size() + " certificates is the key's)"));
    }
    chain.add(0, chain.remove(own));
    return CertificateAuthority.ofMatchedKey(new CertifiedKey(chain, privateKey));
  }

  /** The root CA's certificate, for a CA bundle. */
  public X509Certificate rootCertificate() {
    return Pem.readCertificates(certFile("ca")).get(0);
  }

  /** Writes a certified key as NAME.crt (its chain) and NAME.key, the key first and owner-only. */
  public void write(String name, CertifiedKey key, KeyFormat format, char[] password, boolean force) {
    Path cert = certFile(name);
    Path keyPath = keyFile(name);
    OutputFiles.requireAbsent(cert, force);
    OutputFiles.requireAbsent(keyPath, force);
    OutputFiles.writePrivate(keyPath, Pem.privateKey(key.privateKey(), format, password), force);
    OutputFiles.writePublic(cert, Pem.certificates(key.chain()), force);
  }

  private static String requireSafe(String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new CertsException("'" + name + "' cannot be a file name (letters, digits, '.', '_' and '-' only)");
    }
    return name;
  }
}
