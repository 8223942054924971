package io.thingstorm.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * What an {@code openssl req -config} file asks for, such as the Cybus guide's
 * openssl-client-cert.conf: global variables ({@code COMMON_NAME = device001}), a {@code [req]}
 * section naming its {@code distinguished_name} section and, if it has one, its {@code
 * req_extensions} section, with {@code $VAR} references in them.
 */
public final class OpensslRequestConfig {
  private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*([^\\]\\s]+)\\s*]\\s*$");
  private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*([^=\\s]+)\\s*=\\s*(.*?)\\s*$");
  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_:]+)}|\\(([A-Za-z0-9_:]+)\\)|([A-Za-z0-9_]+))");

  private final X500Name subject;
  private final RequestedExtensions extensions;

  private OpensslRequestConfig(X500Name subject, RequestedExtensions extensions) {
    this.subject = subject;
    this.extensions = extensions;
  }

  public static OpensslRequestConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CertsException("no such file: " + file);
    } catch (IOException e) {
      throw new CertsException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  static OpensslRequestConfig parse(String text, String source) {
    Map<String, Map<String, String>> sections = parse(text);
    return new OpensslRequestConfig(subject(sections, source), extensions(sections, source));
  }

  /** The distinguished name the file asks for, in the order the file lists its fields. */
  public X500Name subject() {
    return subject;
  }

  /** The extensions its {@code req_extensions} section asks for; none when it has no such section. */
  public RequestedExtensions extensions() {
    return extensions;
  }

  private static X500Name subject(Map<String, Map<String, String>> sections, String source) {
    String dnSection = sections.getOrDefault("req", Map.of()).get("distinguished_name");
    if (dnSection == null) throw new CertsException(source + ": no distinguished_name in the [req] section");
    Map<String, String> fields = sections.get(dnSection);
    if (fields == null) throw new CertsException(source + ": no [" + dnSection + "] section");
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    boolean hasCn = false;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String key = field.getKey();
      // Prompt-style files carry "CN_default", "CN_max" and the like beside the field itself.
      if (key.contains("_default") || key.endsWith("_min") || key.endsWith("_max")) continue;
      String name = key.replaceFirst("^\\d+\\.", "");
      ASN1ObjectIdentifier oid;
      try {
        oid = BCStyle.INSTANCE.attrNameToOID(name);
      } catch (IllegalArgumentException e) {
        throw new CertsException(source + ": unknown distinguished name field '" + name + "'");
      }
      String value = expand(field.getValue(), sections, source);
      if (value.isEmpty()) continue;
      if (oid.equals(BCStyle.CN)) {
        hasCn = true;
        Subjects.requireCommonNameLength(value);
      }
      builder.addRDN(oid, value);
    }
    if (!hasCn) throw new CertsException(source + ": the [" + dnSection + "] section sets no CN");
    return builder.build();
  }

  private static RequestedExtensions extensions(Map<String, Map<String, String>> sections, String source) {
    String name = sections.getOrDefault("req", Map.of()).get("req_extensions");
    if (name == null) return RequestedExtensions.NONE;
    Map<String, String> lines = sections.get(name);
    if (lines == null) throw new CertsException(source + ": no [" + name + "] section (the [req] section's req_extensions)");
    return RequestedExtensions.parse(expanded(lines, sections, source), section -> {
      Map<String, String> named = sections.get(section);
      if (named == null) throw new CertsException(source + ": no [" + section + "] section (named by @" + section + ")");
      return expanded(named, sections, source);
    }, source + ": [" + name + "]");
  }

  /** A section's lines with their {@code $VAR}s expanded. */
  private static Map<String, String> expanded(Map<String, String> lines, Map<String, Map<String, String>> sections, String source) {
    Map<String, String> expanded = new LinkedHashMap<>();
    lines.forEach((key, value) -> expanded.put(key, expand(value, sections, source)));
    return expanded;
  }

  private static Map<String, Map<String, String>> parse(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    String current = "default";
    sections.put(current, new LinkedHashMap<>());
    for (String raw : text.split("\\R")) {
      String line = stripComment(raw);
      if (line.isBlank()) continue;
      Matcher section = SECTION.matcher(line);
      if (section.matches()) {
        current = section.group(1);
        sections.computeIfAbsent(current, k -> new LinkedHashMap<>());
        continue;
      }
      Matcher assignment = ASSIGNMENT.matcher(line);
      if (assignment.matches()) sections.get(current).put(assignment.group(1), unquote(assignment.group(2)));
    }
    return sections;
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static String expand(String value, Map<String, Map<String, String>> sections, String source) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String replacement = lookup(name, sections);
      if (replacement == null) throw new CertsException(source + ": variable $" + name + " is not set");
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String lookup(String name, Map<String, Map<String, String>> sections) {
    List<String> parts = List.of(name.split("::", 2));
    if (parts.size() == 2) {
      if (parts.get(0).equals("ENV")) return System.getenv(parts.get(1));
      Map<String, String> section = sections.get(parts.get(0));
      return section == null ? null : section.get(parts.get(1));
    }
    return sections.get("default").get(name);
  }
}
