package io.thingstorm.certs;

import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The extensions a CSR asks for, read from an openssl config's {@code req_extensions} section:
 * subjectAltName (which a server certificate's clients check the host against), keyUsage,
 * extendedKeyUsage, basicConstraints and subjectKeyIdentifier, written in the order the file gives.
 */
public final class RequestedExtensions {
  public static final RequestedExtensions NONE = new RequestedExtensions(new LinkedHashMap<>(), SubjectAltNames.NONE, false);

  private static final Map<String, Integer> KEY_USAGES = Map.of(
      "digitalSignature", KeyUsage.digitalSignature, "nonRepudiation", KeyUsage.nonRepudiation,
      "keyEncipherment", KeyUsage.keyEncipherment, "dataEncipherment", KeyUsage.dataEncipherment,
      "keyAgreement", KeyUsage.keyAgreement, "keyCertSign", KeyUsage.keyCertSign, "cRLSign", KeyUsage.cRLSign,
      "encipherOnly", KeyUsage.encipherOnly, "decipherOnly", KeyUsage.decipherOnly);
  private static final Map<String, KeyPurposeId> PURPOSES = Map.of(
      "serverAuth", KeyPurposeId.id_kp_serverAuth, "clientAuth", KeyPurposeId.id_kp_clientAuth,
      "codeSigning", KeyPurposeId.id_kp_codeSigning, "emailProtection", KeyPurposeId.id_kp_emailProtection,
      "timeStamping", KeyPurposeId.id_kp_timeStamping, "OCSPSigning", KeyPurposeId.id_kp_OCSPSigning);

  /**
   * Each extension by its OID, in the file's order, made once the key is known (subjectKeyIdentifier
   * is its hash); subjectAltName's entry is null, as it is made from {@link #altNames}.
   */
  private final LinkedHashMap<ASN1ObjectIdentifier, Function<PublicKey, Extension>> extensions;
  private final SubjectAltNames altNames;
  private final boolean altNamesCritical;

  private RequestedExtensions(
      LinkedHashMap<ASN1ObjectIdentifier, Function<PublicKey, Extension>> extensions, SubjectAltNames altNames, boolean altNamesCritical) {
    this.extensions = extensions;
    this.altNames = altNames;
    this.altNamesCritical = altNamesCritical;
  }

  /**
   * Reads a {@code req_extensions} section whose {@code $VAR}s are expanded; {@code sections} gives
   * another section by name, for {@code subjectAltName = @alt_names}. Errors start with {@code where}.
   */
  static RequestedExtensions parse(Map<String, String> lines, Function<String, Map<String, String>> sections, String where) {
    LinkedHashMap<ASN1ObjectIdentifier, Function<PublicKey, Extension>> extensions = new LinkedHashMap<>();
    SubjectAltNames altNames = SubjectAltNames.NONE;
    boolean altNamesCritical = false;
    for (Map.Entry<String, String> line : lines.entrySet()) {
      String name = line.getKey();
      List<String> items = new ArrayList<>();
      boolean critical = false;
      for (String item : line.getValue().split(",")) {
        if (item.isBlank()) continue;
        if (item.strip().equals("critical")) critical = true;
        else items.add(item.strip());
      }
      boolean isCritical = critical;
      try {
        switch (name) {
          case "subjectAltName" -> {
            altNames = altNames(items, sections, where);
            altNamesCritical = isCritical;
            extensions.put(Extension.subjectAlternativeName, null);
          }
          case "keyUsage" -> {
            int bits = 0;
            for (String usage : items) bits |= named(KEY_USAGES, usage, "key usage");
            Extension extension = extension(Extension.keyUsage, isCritical, new KeyUsage(bits));
            extensions.put(Extension.keyUsage, key -> extension);
          }
          case "extendedKeyUsage" -> {
            List<KeyPurposeId> purposes = new ArrayList<>();
            for (String purpose : items) {
              purposes.add(purpose.matches("\\d+(\\.\\d+)+")
                  ? KeyPurposeId.getInstance(new ASN1ObjectIdentifier(purpose)) : named(PURPOSES, purpose, "extended key usage"));
            }
            Extension extension = extension(Extension.extendedKeyUsage, isCritical, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            extensions.put(Extension.extendedKeyUsage, key -> extension);
          }
          case "basicConstraints" -> {
            Extension extension = extension(Extension.basicConstraints, isCritical, basicConstraints(items));
            extensions.put(Extension.basicConstraints, key -> extension);
          }
          case "subjectKeyIdentifier" -> {
            if (!items.equals(List.of("hash"))) throw new CertsException("subjectKeyIdentifier takes 'hash', not '" + line.getValue() + "'");
            extensions.put(Extension.subjectKeyIdentifier, key -> extension(Extension.subjectKeyIdentifier, isCritical, keyIdentifier(key)));
          }
          default -> throw new CertsException("'" + name + "' is not an extension thingstorm puts in a CSR "
              + "(it takes subjectAltName, keyUsage, extendedKeyUsage, basicConstraints, subjectKeyIdentifier)");
        }
      } catch (CertsException e) {
        throw new CertsException(where + ": " + e.getMessage(), e);
      }
    }
    return new RequestedExtensions(extensions, altNames, altNamesCritical);
  }

  /** The host names and addresses asked for. */
  public SubjectAltNames altNames() {
    return altNames;
  }

  /** These, with {@code more} added to the subjectAltName (which is made if there was none). */
  public RequestedExtensions withAltNames(SubjectAltNames more) {
    if (more.isEmpty()) return this;
    LinkedHashMap<ASN1ObjectIdentifier, Function<PublicKey, Extension>> copy = new LinkedHashMap<>(extensions);
    copy.put(Extension.subjectAlternativeName, null);
    return new RequestedExtensions(copy, altNames.plus(more), altNamesCritical);
  }

  /** The extensionRequest's content for a CSR of this key; null when nothing is asked for. */
  public Extensions toExtensions(PublicKey key) {
    if (extensions.isEmpty()) return null;
    ExtensionsGenerator generator = new ExtensionsGenerator();
    extensions.forEach((oid, make) -> generator.addExtension(make != null ? make.apply(key)
        : extension(Extension.subjectAlternativeName, altNamesCritical, altNames.toGeneralNames())));
    return generator.generate();
  }

  private static SubjectAltNames altNames(List<String> items, Function<String, Map<String, String>> sections, String where) {
    List<GeneralName> names = new ArrayList<>();
    for (String item : items) {
      if (item.startsWith("@")) {
        // [alt_names] DNS.1 = broker.local, IP.1 = 127.0.0.1: the part before the dot is the type.
        for (Map.Entry<String, String> named : sections.apply(item.substring(1)).entrySet()) {
          names.add(altName(named.getKey().replaceFirst("\\..*$", ""), named.getValue()));
        }
      } else {
        int colon = item.indexOf(':');
        if (colon < 0) throw new CertsException("subjectAltName '" + item + "' needs a type, as DNS:" + item);
        names.add(altName(item.substring(0, colon), item.substring(colon + 1)));
      }
    }
    return SubjectAltNames.of(names);
  }

  private static GeneralName altName(String type, String value) {
    return switch (type.strip()) {
      case "DNS" -> SubjectAltNames.dns(value.strip());
      case "IP" -> SubjectAltNames.ip(value.strip());
      case "email" -> SubjectAltNames.email(value.strip());
      case "URI" -> SubjectAltNames.uri(value.strip());
      default -> throw new CertsException("subjectAltName type '" + type + "' is not one thingstorm writes (DNS, IP, email, URI)");
    };
  }

  private static BasicConstraints basicConstraints(List<String> items) {
    Boolean ca = null;
    Integer pathLength = null;
    for (String item : items) {
      String lower = item.toLowerCase(Locale.ROOT).replace(" ", "");
      if (lower.equals("ca:true")) ca = true;
      else if (lower.equals("ca:false")) ca = false;
      else if (lower.matches("pathlen:\\d{1,9}")) pathLength = Integer.parseInt(lower.substring("pathlen:".length()));
      else throw new CertsException("basicConstraints takes CA:TRUE, CA:FALSE and pathlen:N, not '" + item + "'");
    }
    if (ca == null) throw new CertsException("basicConstraints needs CA:TRUE or CA:FALSE");
    if (!ca && pathLength != null) throw new CertsException("basicConstraints: pathlen is for a CA");
    return ca ? (pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength)) : new BasicConstraints(false);
  }

  private static <T> T named(Map<String, T> known, String name, String what) {
    T value = known.get(name);
    if (value == null) throw new CertsException("unknown " + what + " '" + name + "' (known: " + String.join(", ", known.keySet().stream().sorted().toList()) + ")");
    return value;
  }

  private static org.bouncycastle.asn1.x509.SubjectKeyIdentifier keyIdentifier(PublicKey key) {
    try {
      return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key);
    } catch (NoSuchAlgorithmException e) {
      throw new CertsException("cannot hash the key for subjectKeyIdentifier: " + e.getMessage(), e);
    }
  }

  private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, org.bouncycastle.asn1.ASN1Encodable value) {
    try {
      return new Extension(oid, critical, value.toASN1Primitive().getEncoded("DER"));
    } catch (java.io.IOException e) {
      throw new CertsException("cannot encode " + oid + ": " + e.getMessage(), e);
    }
  }
}
