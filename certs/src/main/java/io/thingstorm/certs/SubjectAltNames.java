package io.thingstorm.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The names a certificate is for besides its subject (the subjectAltName extension): host names and
 * IP addresses, which clients check against the host they dialled, and e-mail addresses and URIs.
 */
public final class SubjectAltNames {
  public static final SubjectAltNames NONE = new SubjectAltNames(List.of());

  private final List<GeneralName> names;

  private SubjectAltNames(List<GeneralName> names) {
    this.names = List.copyOf(names);
  }

  public static SubjectAltNames of(List<String> hosts, List<String> ips) {
    List<GeneralName> names = new ArrayList<>();
    hosts.forEach(h -> names.add(dns(h)));
    ips.forEach(ip -> names.add(ip(ip)));
    return new SubjectAltNames(names);
  }

  /** The subjectAltName of a certificate or a CSR's requested extensions; {@link #NONE} if they have none. */
  public static SubjectAltNames of(Extensions extensions) {
    GeneralNames names = extensions == null ? null : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    return names == null ? NONE : new SubjectAltNames(List.of(names.getNames()));
  }

  static SubjectAltNames of(List<GeneralName> names) {
    return new SubjectAltNames(names);
  }

  static GeneralName dns(String host) {
    if (host == null || host.isBlank()) throw new CertsException("a host name must not be empty");
    if (!host.matches("[A-Za-z0-9*_.-]+")) throw new CertsException("not a host name: '" + host + "'");
    return new GeneralName(GeneralName.dNSName, host);
  }

  /** An IP address; a literal only, never a name lookup. */
  static GeneralName ip(String literal) {
    if (literal == null || !literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw new CertsException("not an IP address: '" + literal + "'");
    }
    try {
      return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(literal).getHostAddress());
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new CertsException("not an IP address: '" + literal + "'");
    }
  }

  static GeneralName email(String address) {
    if (address == null || !address.matches("[^@\\s]+@[^@\\s]+")) throw new CertsException("not an e-mail address: '" + address + "'");
    return new GeneralName(GeneralName.rfc822Name, address);
  }

  static GeneralName uri(String uri) {
    if (uri == null || !uri.matches("[A-Za-z][A-Za-z0-9+.-]*:\\S+")) throw new CertsException("not a URI: '" + uri + "'");
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
  }

  List<GeneralName> names() {
    return names;
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** These names, then those of {@code more}, each once. */
  public SubjectAltNames plus(SubjectAltNames more) {
    List<GeneralName> all = new ArrayList<>(names);
    more.names.stream().filter(n -> !all.contains(n)).forEach(all::add);
    return new SubjectAltNames(all);
  }

  public GeneralNames toGeneralNames() {
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  /** As openssl's configs write them: {@code DNS:broker.local, IP:127.0.0.1}. */
  @Override
  public String toString() {
    return names.stream().map(SubjectAltNames::describe).collect(Collectors.joining(", "));
  }

  private static String describe(GeneralName name) {
    return switch (name.getTagNo()) {
      case GeneralName.dNSName -> "DNS:" + ((ASN1String) name.getName()).getString();
      case GeneralName.rfc822Name -> "email:" + ((ASN1String) name.getName()).getString();
      case GeneralName.uniformResourceIdentifier -> "URI:" + ((ASN1String) name.getName()).getString();
      case GeneralName.iPAddress -> {
        try {
          yield "IP:" + InetAddress.getByAddress(ASN1OctetString.getInstance(name.getName()).getOctets()).getHostAddress();
        } catch (UnknownHostException e) {
          yield "IP:?";
        }
      }
      default -> "othername";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectAltNames other && names.equals(other.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }
}
