package io.thingstorm.cli;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertificateDescription;
import io.thingstorm.certs.CertificateRole;
import io.thingstorm.certs.CertificateSpec;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.ChainVerifier;
import io.thingstorm.certs.KeyMatch;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.OpensslRequestConfig;
import io.thingstorm.certs.RequestedExtensions;
import io.thingstorm.certs.SubjectAltNames;
import io.thingstorm.certs.PublicKeys;
import io.thingstorm.certs.SigningRequest;
import io.thingstorm.certs.Subjects;
import io.thingstorm.certs.fleet.ExistingThings;
import io.thingstorm.certs.fleet.FleetIssuer;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.certs.pem.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thingstorm certs}: wires the certs module's CA, issuing, CSR, verify and bulk functions. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Issue and check X.509 identities: CA, intermediates, server and per-thing client certificates.",
    subcommands = {
      CertsCommand.Ca.class,
      CertsCommand.Intermediate.class,
      CertsCommand.Server.class,
      CertsCommand.ThingCert.class,
      CertsCommand.Csr.class,
      CertsCommand.Sign.class,
      CertsCommand.Verify.class,
      CertsCommand.Inspect.class,
      CertsCommand.Bulk.class
    })
final class CertsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A value the user typed that the certs module refuses (a key type, a format, a subject) is a usage error: exit 2. */
  static <T> T asUsage(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (CertsException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** Options of every command that writes a new key. */
  static final class KeyOptions {
    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p256",
        description = "ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519")
    String keyType;

    @Option(names = "--key-format", paramLabel = "FORMAT", defaultValue = "pkcs8",
        description = "pkcs8 (default), pkcs1 (RSA) or sec1 (EC), for older device stacks")
    String keyFormat;

    @Option(names = "--key-password", paramLabel = "PASSWORD", description = "write the key as encrypted PKCS#8 under this password")
    String keyPassword;

    @Option(names = "--key-password-env", paramLabel = "VAR", description = "the same, the password taken from this environment variable")
    String keyPasswordEnv;

    @Option(names = "--force", description = "replace existing files (they are kept otherwise)")
    boolean force;

    KeyType type() {
      return asUsage(() -> KeyType.parse(keyType));
    }

    KeyFormat format() {
      return asUsage(() -> {
        KeyFormat format = KeyFormat.parse(keyFormat);
        format.requireFits(KeyType.parse(keyType));
        return format;
      });
    }

    char[] password() {
      return asUsage(() -> KeyPasswords.forWriting(keyPassword, keyPasswordEnv));
    }
  }

  /** Options of every command that signs with the CA of a folder. */
  static final class CaOptions {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the CA folder (ca.crt, ca.key)")
    Path dir;

    @Option(names = "--ca-password", paramLabel = "PASSWORD",
        description = "password of an encrypted CA key (or THINGSTORM_CA_PASSWORD, or a prompt)")
    String caPassword;

    CaDirectory directory() {
      return CaDirectory.at(dir);
    }

    CertificateAuthority load(String issuer) {
      return directory().load(issuer, KeyPasswords.forCaKey(caPassword));
    }
  }

  /** About a hundred years: X.509 dates stop at the year 9999, and a device certificate needs no more. */
  static final long MAX_DAYS = 36_525;

  static long requireDays(long days) {
    if (days < 1) throw new UsageError("--days must be at least 1, not " + days);
    if (days > MAX_DAYS) throw new UsageError("--days must be at most " + MAX_DAYS + " (100 years), not " + days);
    return days;
  }

  @Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Create a self-signed root CA: DIR/ca.crt and DIR/ca.key (like Mainflux's 'make ca').")
  static final class Ca implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--dir", required = true, paramLabel = "DIR") Path dir;
    @Option(names = "--days", defaultValue = "1095", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Option(names = "--cn", defaultValue = "thingstorm CA", description = "the CA's common name (default '${DEFAULT-VALUE}')") String cn;
    @Option(names = "--org", description = "organisation (O)") String org;
    @Option(names = "--country", description = "two-letter country (C)") String country;
    @Mixin KeyOptions key;

    @Override
    public Integer call() {
      CaDirectory ca = CaDirectory.at(dir);
      OutputFiles.requireAbsent(ca.certFile("ca"), key.force);
      OutputFiles.requireAbsent(ca.keyFile("ca"), key.force);
      CertificateSpec certificate = CertificateSpec.builder(CertificateRole.ROOT_CA)
          .subject(asUsage(() -> Subjects.of(cn, org, country))).days(requireDays(days)).build();
      CertificateAuthority root = CertificateAuthority.createRoot(certificate, key.type());
      ca.write("ca", root.certifiedKey(), key.format(), key.password(), key.force);
      Written.report(spec, "CA", root.certifiedKey(), ca.certFile("ca"), ca.keyFile("ca"));
      return 0;
    }
  }

  @Command(name = "intermediate", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Create an intermediate CA signed by DIR's CA: DIR/NAME.crt and DIR/NAME.key.")
  static final class Intermediate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CaOptions ca;
    @Option(names = "--name", required = true, paramLabel = "NAME") String name;
    @Option(names = "--cn", description = "common name (default: NAME)") String cn;
    @Option(names = "--days", defaultValue = "1095", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Mixin KeyOptions key;

    @Override
    public Integer call() {
      CaDirectory dir = ca.directory();
      OutputFiles.requireAbsent(dir.certFile(name), key.force);
      CertificateAuthority root = ca.load(null);
      CertificateAuthority intermediate = root.issueIntermediate(cn == null ? name : cn, key.type(), requireDays(days));
      dir.write(name, intermediate.certifiedKey(), key.format(), key.password(), key.force);
      Written.report(spec, "intermediate CA", intermediate.certifiedKey(), dir.certFile(name), dir.keyFile(name));
      return 0;
    }
  }

  @Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Issue a TLS server certificate (EKU serverAuth, SANs): DIR/server.crt and DIR/server.key.")
  static final class Server implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CaOptions ca;
    @Option(names = "--host", paramLabel = "HOST", description = "a DNS name SAN (repeatable; default localhost)") List<String> hosts = new ArrayList<>();
    @Option(names = "--ip", paramLabel = "IP", description = "an IP address SAN (repeatable; default 127.0.0.1 when no --host)") List<String> ips = new ArrayList<>();
    @Option(names = "--name", defaultValue = "server", description = "file name (default ${DEFAULT-VALUE})") String name;
    @Option(names = "--days", defaultValue = "1000", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Option(names = "--issuer", paramLabel = "NAME", description = "sign with the intermediate DIR/NAME.crt") String issuer;
    @Mixin KeyOptions key;

    @Override
    public Integer call() {
      if (hosts.isEmpty() && ips.isEmpty()) {
        hosts.add("localhost");
        ips.add("127.0.0.1");
      }
      CaDirectory dir = ca.directory();
      OutputFiles.requireAbsent(dir.certFile(name), key.force);
      CertifiedKey server = ca.load(issuer).issueServer(hosts.isEmpty() ? ips.get(0) : hosts.get(0), hosts, ips, key.type(), requireDays(days));
      dir.write(name, server, key.format(), key.password(), key.force);
      Written.report(spec, "server certificate", server, dir.certFile(name), dir.keyFile(name));
      return 0;
    }
  }

  @Command(name = "thing", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Issue a thing's client certificate, CN = thing key (like Mainflux's 'make thing_cert').")
  static final class ThingCert implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CaOptions ca;
    @Option(names = "--thing-key", required = true, paramLabel = "KEY", description = "the thing key, written as the CN") String thingKey;
    @Option(names = "--name", defaultValue = "thing", description = "file name (default ${DEFAULT-VALUE})") String name;
    @Option(names = "--days", defaultValue = "730", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Option(names = "--issuer", paramLabel = "NAME", description = "sign with the intermediate DIR/NAME.crt; the chain goes into the cert file") String issuer;
    @Mixin KeyOptions key;

    @Override
    public Integer call() {
      if (thingKey.isBlank()) throw new UsageError("--thing-key must not be empty");
      CaDirectory dir = ca.directory();
      OutputFiles.requireAbsent(dir.certFile(name), key.force);
      CertifiedKey thing = ca.load(issuer).issueThing(thingKey, key.type(), requireDays(days));
      dir.write(name, thing, key.format(), key.password(), key.force);
      Written.report(spec, "thing certificate", thing, dir.certFile(name), dir.keyFile(name));
      return 0;
    }
  }

  @Command(name = "csr", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Create a certificate signing request, for a new key (--key-out) or the device's own (--key), "
          + "like 'openssl req -new -config'.")
  static final class Csr implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--cn", paramLabel = "CN", description = "common name: the thing key or user name") String cn;
    @Option(names = "--org", description = "organisation (O)") String org;
    @Option(names = "--country", description = "two-letter country (C)") String country;
    @Option(names = "--config", paramLabel = "FILE",
        description = "an openssl req config (COMMON_NAME, ORGNAME, [dn], req_extensions), as in the Cybus guide") Path config;
    @Option(names = "--host", paramLabel = "HOST", description = "ask for a DNS name SAN, as a server's CSR does (repeatable)") List<String> hosts = new ArrayList<>();
    @Option(names = "--ip", paramLabel = "IP", description = "ask for an IP address SAN (repeatable)") List<String> ips = new ArrayList<>();
    @Option(names = "--key", paramLabel = "FILE",
        description = "the existing private key to request a certificate for (as 'openssl req -key'); its password from --key-password") Path existingKey;
    @Option(names = "--key-out", paramLabel = "FILE", description = "write a new key here (as 'openssl req -keyout')") Path keyOut;
    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;
    @Mixin KeyOptions key;

    /** The CSR must not take the place of the key it is for. */
    private static void requireOtherFile(Path csr, Path keyFile) {
      boolean same = csr.toAbsolutePath().normalize().equals(keyFile.toAbsolutePath().normalize());
      try {
        same |= Files.exists(csr) && Files.exists(keyFile) && Files.isSameFile(csr, keyFile);
      } catch (IOException unreadable) {
        // the names decide
      }
      if (same) throw new UsageError("--out " + csr + " is the key's own file: the request would replace the key");
    }

    @Override
    public Integer call() {
      if (config == null && cn == null) throw new UsageError("give --cn or --config");
      if (existingKey == null && keyOut == null) throw new UsageError("give --key (an existing key) or --key-out (a new one)");
      if (existingKey != null && keyOut != null) throw new UsageError("give --key (an existing key) or --key-out (a new one), not both");
      OpensslRequestConfig file = config != null ? OpensslRequestConfig.read(config) : null;
      X500Name subject = file != null ? file.subject() : asUsage(() -> Subjects.of(cn, org, country));
      RequestedExtensions extensions = (file != null ? file.extensions() : RequestedExtensions.NONE)
          .withAltNames(asUsage(() -> SubjectAltNames.of(hosts, ips)));
      String asked = extensions.altNames().isEmpty() ? "" : ", " + extensions.altNames();
      requireOtherFile(out, existingKey != null ? existingKey : keyOut);
      OutputFiles.requireAbsent(out, key.force);
      if (existingKey != null) {
        for (String option : new String[] {"--key-type", "--key-format", "--key-password-env"}) {
          if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw new UsageError(option + " is for a new key (--key-out): --key " + existingKey + " is used as it is");
          }
        }
        KeyPair pair;
        try {
          pair = PublicKeys.pairOf(Pem.readPrivateKey(existingKey, KeyPasswords.forThingKey(key.keyPassword)));
        } catch (CertsException e) {
          throw e.getMessage().contains(existingKey.toString()) ? e : new CertsException(existingKey + ": " + e.getMessage(), e);
        }
        OutputFiles.writePublic(out, SigningRequest.create(pair, subject, extensions).toPem(), key.force);
        spec.commandLine().getOut().printf("wrote %s (subject %s%s) for key %s (%s)%n", out, Subjects.describeMasked(subject), asked,
            existingKey, KeyType.of(pair.getPublic()));
        return 0;
      }
      OutputFiles.requireAbsent(keyOut, key.force);
      KeyPair pair = key.type().generate();
      SigningRequest request = SigningRequest.create(pair, subject, extensions);
      OutputFiles.writePrivate(keyOut, Pem.privateKey(pair.getPrivate(), key.format(), key.password()), key.force);
      OutputFiles.writePublic(out, request.toPem(), key.force);
      // The CN is a thing key or user name: shown masked.
      spec.commandLine().getOut().printf("wrote %s (subject %s%s) and key %s (%s)%n", out, Subjects.describeMasked(subject), asked,
          keyOut, key.type());
      return 0;
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Sign a CSR with DIR's CA (like 'openssl x509 -req -CA ca.crt -CAkey ca.key').")
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CaOptions ca;
    @Option(names = "--csr", required = true, paramLabel = "FILE") Path csr;
    @Option(names = "--out", required = true, paramLabel = "FILE") Path out;
    @Option(names = "--days", defaultValue = "100", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Option(names = "--serial", paramLabel = "S", description = "serial number, decimal or 0x-hex (default: random)") String serial;
    @Option(names = "--server", description = "issue a server certificate (serverAuth) instead of a client one") boolean server;
    @Option(names = "--issuer", paramLabel = "NAME", description = "sign with the intermediate DIR/NAME.crt") String issuer;
    @Option(names = "--host", paramLabel = "HOST",
        description = "a DNS name SAN (repeatable); with --host or --ip, the CSR's own SANs are not copied") List<String> hosts = new ArrayList<>();
    @Option(names = "--ip", paramLabel = "IP", description = "an IP address SAN (repeatable)") List<String> ips = new ArrayList<>();
    @Option(names = "--force", description = "replace an existing output file") boolean force;

    @Override
    public Integer call() {
      OutputFiles.requireAbsent(out, force);
      SubjectAltNames given = asUsage(() -> SubjectAltNames.of(hosts, ips));
      SigningRequest request = SigningRequest.read(csr);
      CertificateAuthority authority = ca.load(issuer);
      // As 'openssl x509 -req -copy_extensions copy' does for the SANs; key usages follow --server.
      SubjectAltNames altNames = given.isEmpty() ? request.altNames() : given;
      CertificateSpec.Builder certificate = CertificateSpec.builder(server ? CertificateRole.SERVER : CertificateRole.CLIENT)
          .subject(request.subject()).days(requireDays(days)).altNames(altNames);
      if (serial != null) certificate.serial(parseSerial(serial));
      X509Certificate signed = authority.sign(certificate.build(), request.publicKey());
      OutputFiles.writePublic(out, Pem.certificates(authority.chainFor(signed)), force);
      PrintWriter o = spec.commandLine().getOut();
      o.printf("Signature ok%nsubject=%s%n", Subjects.describeForOutput(signed));
      if (!altNames.isEmpty()) o.printf("subjectAltName=%s%s%n", altNames, given.isEmpty() ? " (from the CSR)" : "");
      o.printf("wrote %s (serial %s, %d days)%n", out, signed.getSerialNumber().toString(16).toUpperCase(Locale.ROOT), days);
      if (server && altNames.isEmpty()) {
        spec.commandLine().getErr().printf("note: %s names no host or IP address (no subjectAltName): clients that check the host "
            + "they dialled against it will refuse it; give --host or --ip%n", out);
      }
      return 0;
    }

    static BigInteger parseSerial(String text) {
      try {
        String t = text.trim().toLowerCase(Locale.ROOT);
        BigInteger serial = t.startsWith("0x") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
        // RFC 5280: a positive integer of at most 20 octets.
        if (serial.signum() <= 0 || serial.bitLength() > 159) throw new NumberFormatException();
        return serial;
      } catch (NumberFormatException e) {
        throw new UsageError("--serial must be a positive number of at most 20 bytes (decimal or 0x-hex), not '" + text + "'");
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Verify certificates against a CA bundle, as 'openssl verify -CAfile' does: CERT: OK or CERT: reason.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = {"--ca-file", "-CAfile"}, required = true, paramLabel = "BUNDLE", description = "PEM file with one or more CA certificates") Path caFile;
    @Option(names = "--untrusted", paramLabel = "FILE", description = "PEM file with intermediates to build chains with") Path untrusted;
    @Parameters(arity = "1..*", paramLabel = "CERT") List<Path> certs;

    @Override
    public Integer call() {
      ChainVerifier verifier = new ChainVerifier(Pem.readCertificates(caFile));
      List<X509Certificate> extra = untrusted == null ? List.of() : Pem.readCertificates(untrusted);
      PrintWriter out = spec.commandLine().getOut();
      int failed = 0;
      for (Path cert : certs) {
        String verdict;
        try {
          List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(cert));
          chain.addAll(extra);
          ChainVerifier.Verdict v = verifier.verify(chain);
          verdict = v.reason();
          if (!v.ok()) failed++;
        } catch (CertsException e) {
          verdict = e.getMessage();
          failed++;
        }
        out.println(cert + ": " + verdict);
      }
      return failed == 0 ? 0 : 1;
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Show certificates (subject, issuer, validity, key, SANs, EKU, fingerprint); with a key, whether it matches.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--password", paramLabel = "PASSWORD", description = "password of an encrypted key (or THINGSTORM_KEY_PASSWORD, or a prompt)") String password;
    @Parameters(arity = "1..*", paramLabel = "FILE") List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PasswordSource passwords = KeyPasswords.from(password, "--password", "THINGSTORM_KEY_PASSWORD");
      List<X509Certificate> certificates = new ArrayList<>();
      List<Path> certificateFiles = new ArrayList<>();
      List<PrivateKey> keys = new ArrayList<>();
      List<Path> keyFiles = new ArrayList<>();
      for (Path file : files) {
        String text = Pem.read(file);
        if (!text.contains("-----BEGIN ")) throw new CertsException(file + " is not PEM (no '-----BEGIN' line)");
        boolean any = false;
        if (text.contains("CERTIFICATE-----") && !text.contains("CERTIFICATE REQUEST-----")) {
          List<X509Certificate> found = Pem.parseCertificates(text, file.toString());
          for (int i = 0; i < found.size(); i++) {
            out.println(file + (found.size() > 1 ? " [" + (i + 1) + "/" + found.size() + "]" : "") + ": certificate");
            out.print(CertificateDescription.of(found.get(i)).toText());
          }
          certificates.add(found.get(0));
          certificateFiles.add(file);
          any = true;
        }
        if (text.contains("PRIVATE KEY-----")) {
          PrivateKey key = Pem.parsePrivateKey(text, file.toString(), passwords);
          out.println(file + ": private key, " + describeKey(key, text));
          keys.add(key);
          keyFiles.add(file);
          any = true;
        }
        if (!any) throw new CertsException(file + " holds no PEM certificate or private key");
      }
      int status = 0;
      for (int k = 0; k < keys.size(); k++) {
        for (int c = 0; c < certificates.size(); c++) {
          boolean match = KeyMatch.matches(certificates.get(c), keys.get(k));
          out.println(keyFiles.get(k) + (match ? " matches " : " does NOT match ") + certificateFiles.get(c));
          if (!match) status = 1;
        }
      }
      return status;
    }

    private static String describeKey(PrivateKey key, String pem) {
      String form = pem.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "encrypted PKCS#8"
          : pem.contains("BEGIN RSA PRIVATE KEY") ? "PKCS#1"
          : pem.contains("BEGIN EC PRIVATE KEY") ? "SEC1" : "PKCS#8";
      String rsaKind = key.getAlgorithm().equals("RSASSA-PSS") ? "RSA-PSS " : "RSA ";
      String type = key instanceof java.security.interfaces.RSAPrivateKey rsa ? rsaKind + rsa.getModulus().bitLength() + " bit"
          : key instanceof java.security.interfaces.ECPrivateKey ec ? "EC " + ec.getParams().getCurve().getField().getFieldSize() + " bit"
          : key.getAlgorithm();
      return type + ", " + form;
    }
  }

  @Command(name = "bulk", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Issue identities for a whole fleet: DIR/things/<id>.crt|.key and the manifest DIR/things.csv.")
  static final class Bulk implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CaOptions ca;
    @Option(names = "--count", paramLabel = "N", description = "how many new things (random UUID ids and keys)") Integer count;
    @Option(names = "--channels", defaultValue = "1", paramLabel = "C", description = "spread the new things over C new channels (default ${DEFAULT-VALUE})") int channels;
    @Option(names = "--from", paramLabel = "FILE", description = "things that exist already: a CSV of thing_id,thing_key[,channel_id] or Mainflux provision TOML") Path from;
    @Option(names = "--days", defaultValue = "730", description = "validity in days (default ${DEFAULT-VALUE})") long days;
    @Option(names = "--issuer", paramLabel = "NAME", description = "sign with the intermediate DIR/NAME.crt") String issuer;
    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: one per core)") Integer threads;
    @Option(names = "--new-ca", description = "create DIR/ca.crt and ca.key first when DIR has no CA") boolean newCa;
    @Mixin KeyOptions key;

    @Override
    public Integer call() {
      if ((count == null) == (from == null)) throw new UsageError("give either --count N or --from FILE");
      if (count != null && count < 1) throw new UsageError("--count must be at least 1, not " + count);
      if (threads != null && threads < 1) throw new UsageError("--threads must be at least 1, not " + threads);
      if (channels < 1) throw new UsageError("--channels must be at least 1, not " + channels);
      List<Thing> things = from != null ? ExistingThings.read(from) : Thing.generate(count, channels);
      FleetIssuer.requireIssuable(ca.dir, things, key.force); // before a new CA is written: bad input leaves nothing
      if (newCa && this.issuer == null && !ca.directory().hasRoot()) {
        CertificateAuthority root = CertificateAuthority.createRoot("thingstorm CA", KeyType.EC_P256, 1095);
        ca.directory().write("ca", root.certifiedKey(), KeyFormat.PKCS8, null, false);
        Written.report(spec, "CA", root.certifiedKey(), ca.directory().certFile("ca"), ca.directory().keyFile("ca"));
      }
      FleetIssuer.Builder issuer = FleetIssuer.builder(ca.load(this.issuer))
          .keyType(key.type()).keyFormat(key.format()).keyPassword(key.password()).days(requireDays(days)).force(key.force);
      if (threads != null) issuer.threads(threads);
      long start = System.nanoTime();
      List<ManifestEntry> entries = issuer.build().issue(ca.dir, things);
      double seconds = (System.nanoTime() - start) / 1e9;
      spec.commandLine().getOut().printf(Locale.ROOT, "issued %d %s thing identities in %.2f s (%.0f certs/s) into %s; manifest %s%n",
          entries.size(), key.type(), seconds, entries.size() / seconds, ca.dir.resolve("things"), ca.dir.resolve(ThingManifest.FILE_NAME));
      return 0;
    }
  }

  /** The line each issuing command prints: what was written, never the key itself. */
  static final class Written {
    private Written() {}

    static void report(CommandSpec spec, String what, CertifiedKey key, Path cert, Path keyFile) {
      X509Certificate c = key.certificate();
      String cn = io.thingstorm.certs.CommonName.of(c).orElse("");
      String shown = what.startsWith("thing") ? Thing.mask(cn) : cn;
      spec.commandLine().getOut().printf("wrote %s %s (CN=%s, %s, until %s) and key %s (owner-only)%n",
          what, cert, shown, key.keyType(), c.getNotAfter().toInstant(), keyFile);
    }
  }
}
