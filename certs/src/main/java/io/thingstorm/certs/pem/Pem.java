package io.thingstorm.certs.pem;

import io.thingstorm.certs.BouncyCastle;
import io.thingstorm.certs.CertsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Reads and writes PEM: certificates (a file may hold several, such as a chain or a CA bundle),
 * private keys in PKCS#8, encrypted PKCS#8, PKCS#1 and SEC1, and CSRs. Errors are one line that
 * names the source, never its content.
 */
public final class Pem {
  /** Larger inputs are not PEM files anyone meant to give; refusing them bounds memory. */
  static final int MAX_PEM_CHARS = 4 * 1024 * 1024;

  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  private Pem() {}

  // ---- reading

  public static List<X509Certificate> readCertificates(Path file) {
    return parseCertificates(read(file), file.toString());
  }

  /** Every certificate in the text, in order; fails when there is none. */
  public static List<X509Certificate> parseCertificates(String pem, String source) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : objects(pem, source)) {
      if (object instanceof X509CertificateHolder holder) certificates.add(toCertificate(holder, source));
    }
    if (certificates.isEmpty()) throw new CertsException(source + " holds no PEM certificate");
    return certificates;
  }

  public static PrivateKey readPrivateKey(Path file, PasswordSource passwords) {
    return parsePrivateKey(read(file), file.toString(), passwords);
  }

  /** The first private key in the text, in any of the forms thingstorm writes. */
  public static PrivateKey parsePrivateKey(String pem, String source, PasswordSource passwords) {
    List<Object> objects = objects(pem, source);
    long keys = objects.stream().filter(o -> o instanceof PrivateKeyInfo || o instanceof PEMKeyPair
        || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair).count();
    // Which of two keys was meant cannot be told, and the wrong one fails far from here.
    if (keys > 1) throw new CertsException(source + " holds " + keys + " private keys: give a file with one");
    for (Object object : objects) {
      try {
        if (object instanceof PrivateKeyInfo info) return KEYS.getPrivateKey(info);
        if (object instanceof PEMKeyPair pair) return KEYS.getKeyPair(pair).getPrivate();
        if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) return decrypt(encrypted, source, passwords);
        if (object instanceof PEMEncryptedKeyPair encrypted) {
          char[] password = requirePassword(passwords, source);
          try {
            return KEYS.getKeyPair(encrypted.decryptKeyPair(
                new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password))).getPrivate();
          } catch (IOException e) {
            throw new CertsException("wrong password for the encrypted key " + source);
          } finally {
            Arrays.fill(password, '\0');
          }
        }
      } catch (PEMException | RuntimeException e) {
        // RuntimeException too: Bouncy Castle and the JDK's key factories throw those on damaged keys.
        if (e instanceof CertsException c) throw c;
        throw new CertsException(source + " holds a private key this JDK cannot read: " + oneLine(e), e);
      }
    }
    throw new CertsException(source + " holds no PEM private key");
  }

  private static PrivateKey decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, String source, PasswordSource passwords)
      throws PEMException {
    EncryptionCost.check(encrypted.getEncryptionAlgorithm(), source);
    char[] password = requirePassword(passwords, source);
    PrivateKeyInfo info;
    try {
      info = encrypted.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(password));
    } catch (PKCSException e) {
      // A cipher that cannot be set up is no wrong password: say what the key asks for instead.
      if (e.getCause() instanceof OperatorCreationException cause) {
        throw new CertsException("cannot decrypt the key " + source + ": " + oneLine(cause), e);
      }
      throw new CertsException("wrong password for the encrypted key " + source);
    } catch (OperatorCreationException e) {
      throw new CertsException("cannot decrypt the key " + source + ": " + oneLine(e), e);
    } catch (RuntimeException e) {
      // About one wrong password in 256 leaves valid padding: what comes out is no key structure.
      throw new CertsException("wrong password for the encrypted key " + source);
    } finally {
      Arrays.fill(password, '\0');
    }
    return KEYS.getPrivateKey(info);
  }

  /** True when the text holds an encrypted key, so that a prompt is asked only then. */
  public static boolean isEncryptedKey(String pem) {
    return pem.contains("BEGIN ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED");
  }

  public static PKCS10CertificationRequest readSigningRequest(Path file) {
    for (Object object : objects(read(file), file.toString())) {
      if (object instanceof PKCS10CertificationRequest request) return request;
    }
    throw new CertsException(file + " holds no PEM certificate signing request");
  }

  /** The whole text of a PEM file, with missing, unreadable and oversized files named plainly. */
  public static String read(Path file) {
    try {
      if (Files.isDirectory(file)) throw new CertsException(file + " is a directory, not a PEM file");
      if (Files.size(file) > MAX_PEM_CHARS) throw new CertsException(file + " is too large to be a PEM file");
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new CertsException("no such file: " + file);
    } catch (AccessDeniedException e) {
      throw new CertsException("cannot read " + file + ": permission denied");
    } catch (IOException | UncheckedIOException e) {
      throw new CertsException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Object> objects(String pem, String source) {
    if (pem.length() > MAX_PEM_CHARS) throw new CertsException(source + " is too large to be PEM");
    if (!pem.contains("-----BEGIN ")) throw new CertsException(source + " is not PEM (no '-----BEGIN' line)");
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = parser.readObject()) != null) objects.add(object);
    } catch (IOException | RuntimeException e) {
      Matcher unknown = UNRECOGNISED.matcher(oneLine(e));
      if (unknown.find()) {
        // Not damage: a kind of block thingstorm has no use for (DSA PARAMETERS, X9.42 DH PARAMETERS, ...).
        throw new CertsException(source + " holds a PEM block of type " + unknown.group(1) + ", which thingstorm does not read "
            + "(it reads certificates, certificate requests, and RSA, EC and Ed25519 private keys)", e);
      }
      throw new CertsException(source + " holds a damaged PEM block: " + damage(e), e);
    }
    return objects;
  }

  /** Bouncy Castle's "problem parsing CERTIFICATE: ..." and the like: what was cut short. */
  /** Bouncy Castle's words for a block type it has no parser for. */
  private static final Pattern UNRECOGNISED = Pattern.compile("unrecognised object: ([A-Z0-9 .]+)");
  private static final Pattern PROBLEM_PARSING = Pattern.compile("problem parsing ([A-Za-z0-9 ]+?)(?::|$)");

  /** Bouncy Castle's parser messages, said in words a person can act on. */
  private static String damage(Exception e) {
    String message = oneLine(e);
    if (message.contains("base64")) {
      return "its base64 text is damaged (a character that is not base64, or part of a line missing)";
    }
    Matcher parsing = PROBLEM_PARSING.matcher(message);
    if (parsing.find()) {
      String what = parsing.group(1).toLowerCase(Locale.ROOT);
      return "its " + what + " is cut short or corrupted (lines missing or changed between BEGIN and END)";
    }
    return message; // e.g. "-----END CERTIFICATE----- not found", already plain
  }

  private static char[] requirePassword(PasswordSource passwords, String source) {
    char[] password = passwords.passwordFor(source);
    if (password == null) throw new CertsException(source + " is an encrypted key and no password was given");
    return password;
  }

  private static X509Certificate toCertificate(X509CertificateHolder holder, String source) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (CertificateException | IOException e) {
      throw new CertsException(source + " holds a certificate this JDK cannot read: " + oneLine(e), e);
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("");
  }

  // ---- writing

  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder(certificates.size() * 900);
    for (X509Certificate certificate : certificates) {
      try {
        block(out, "CERTIFICATE", certificate.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new CertsException("cannot encode certificate: " + e.getMessage(), e);
      }
    }
    return out.toString();
  }

  /**
   * One PEM block (RFC 7468): base64 in 64-column lines. Written directly because it is this simple,
   * and bulk issuing spent a tenth of its time in the general-purpose PEM writer.
   */
  private static void block(StringBuilder out, String label, byte[] der) {
    out.append("-----BEGIN ").append(label).append("-----\n");
    out.append(MIME.encodeToString(der));
    out.append("\n-----END ").append(label).append("-----\n");
  }

  private static final java.util.Base64.Encoder MIME = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});

  public static String certificate(X509Certificate certificate) {
    return certificates(List.of(certificate));
  }

  public static String signingRequest(PKCS10CertificationRequest request) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(request);
    } catch (IOException e) {
      throw new CertsException("cannot encode the CSR: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * PKCS#8 version 1, without the optional public key: Bouncy Castle writes Ed25519 keys as version
   * 2 with the public key, which OpenSSL 3.0 refuses to read.
   */
  private static PrivateKeyInfo pkcs8v1(PrivateKey key) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    if (!info.hasPublicKey()) return info;
    return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), info.getAttributes());
  }

  /** A private key in the given format; with a password, encrypted PKCS#8 (AES-256-CBC, PBKDF2). */
  public static String privateKey(PrivateKey key, KeyFormat format, char[] password) {
    format.requireFits(key);
    if (password != null && format != KeyFormat.PKCS8) {
      throw new CertsException("an encrypted key is written as PKCS#8 only, not " + format);
    }
    if (format == KeyFormat.PKCS8 && password == null) {
      StringBuilder pem = new StringBuilder(400);
      try {
        block(pem, "PRIVATE KEY", pkcs8v1(key).getEncoded());
      } catch (IOException e) {
        throw new CertsException("cannot encode the private key: " + e.getMessage(), e);
      }
      return pem.toString();
    }
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (format == KeyFormat.PKCS8) {
        OutputEncryptor encryptor = null;
        if (password != null) {
          encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
              .setProvider(BouncyCastle.PROVIDER)
              .setRandom(new SecureRandom())
              .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
              .setPassword(password)
              .build();
        }
        writer.writeObject(new org.bouncycastle.openssl.PKCS8Generator(pkcs8v1(key), encryptor));
      } else {
        // The "traditional" OpenSSL forms: RSA PRIVATE KEY (PKCS#1) and EC PRIVATE KEY (SEC1).
        writer.writeObject(new JcaMiscPEMGenerator(key));
      }
    } catch (PemGenerationException | OperatorCreationException e) {
      throw new CertsException("cannot encode the private key: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CertsException("cannot encode the private key: " + e.getMessage(), e);
    }
    return out.toString();
  }
}
