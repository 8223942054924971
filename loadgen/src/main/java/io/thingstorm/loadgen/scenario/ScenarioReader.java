package io.thingstorm.loadgen.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.ThingManifest;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.loadgen.fleet.IdentityFolder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads scenario files: YAML bound into {@link ScenarioYaml} records by Jackson, then every value
 * checked and turned into a {@link Scenario}. The first problem found is thrown as a
 * {@link ScenarioException} naming the file, the line and the field.
 */
public final class ScenarioReader {
  // Duplicate keys are refused: YAML would silently keep the last one.
  // An empty value (`disconnect:`) is null, as with new YAMLFactory(); the builder leaves that off.
  private static final YAMLFactory YAML = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
      .loaderOptions(loaderOptions())
      .build();
  private static final ObjectMapper MAPPER = YAMLMapper.builder(YAML)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT) // count: 2.5 is a mistake, not 2
      .build();

  /**
   * The largest scenario file, in bytes and in characters: the ones in scenarios/ are a few KB. Long
   * lines are refused too: SnakeYAML copies its whole read-ahead window for each 1,024 characters of a
   * token, so a 1 MB scalar cost 4.3 GB of allocation; a 4,096-character line costs about 130 KB.
   */
  static final int MAX_CHARS = 256 * 1024;
  static final int MAX_LINE = 4096;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
  private static final int MAX_DEVICES = 10_000_000;
  private static final int MAX_PAYLOAD = 16 * 1024 * 1024;
  private static final Duration MAX_KEEP_ALIVE = Duration.ofSeconds(65_535); // MQTT's 16-bit field

  private final boolean checkFiles;
  private final List<ScenarioOverride> overrides;

  private ScenarioReader(boolean checkFiles, List<ScenarioOverride> overrides) {
    this.checkFiles = checkFiles;
    this.overrides = List.copyOf(overrides);
  }

  public static ScenarioReader create() {
    return new ScenarioReader(true, List.of());
  }

  /**
   * A reader that does not open the files a scenario names (CA bundle, manifest, issuer), for
   * checking scenarios whose files are the user's to make, such as {@code scenarios/mainflux.yaml}.
   * A manifest fleet read this way has no things and a size of 0: such a scenario is for checking,
   * not for running.
   */
  public ScenarioReader withoutFileChecks() {
    return new ScenarioReader(false, overrides);
  }

  /**
   * A reader that sets these fields over the file's, in order, before any check: each is checked as
   * if written in the file, and a problem with one names its {@code --set}. A relative path given
   * this way is taken from the working directory, as any path on a command line.
   */
  public ScenarioReader withOverrides(List<ScenarioOverride> overrides) {
    return new ScenarioReader(checkFiles, overrides);
  }

  /** SnakeYAML's own bounds, spelled out: aliases (billion laughs), nesting, and the size, as above. */
  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CHARS);
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(50);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  /** Reads {@code file}; relative paths in it are resolved against its folder. */
  public Scenario read(Path file) {
    String yaml;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_CHARS) {
        throw new ScenarioException(file.toString(), 0, "", "the file is " + Files.size(file)
            + " bytes, larger than any scenario (at most " + MAX_CHARS + ")");
      }
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(file.toString(), 0, "", "no such file");
    } catch (CharacterCodingException e) {
      throw new ScenarioException(file.toString(), 0, "", "not a UTF-8 text file, so no scenario");
    } catch (IOException e) {
      throw new ScenarioException(file.toString(), 0, "", "cannot read: " + e.getMessage());
    }
    return read(file, yaml);
  }

  /** Reads {@code yaml} as if it were the text of {@code file}. */
  public Scenario read(Path file, String yaml) {
    String name = file.toString();
    if (yaml.isBlank()) throw new ScenarioException(name, 0, "", "the file is empty");
    checkSize(name, yaml);
    YamlLocations locations;
    ScenarioYaml.Root root;
    try {
      locations = YamlLocations.of(YAML, yaml);
    } catch (JsonProcessingException e) {
      throw syntaxError(name, e);
    } catch (IOException | RuntimeException e) {
      // RuntimeException too: SnakeYAML throws its own on some damaged input, and it must stay one line.
      throw new ScenarioException(name, 0, "", "not valid YAML: " + firstLine(e));
    }
    if (!locations.has("")) throw new ScenarioException(name, 0, "", "the file is empty (comments only)");
    JsonNode tree;
    try {
      tree = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw syntaxError(name, e);
    } catch (RuntimeException e) {
      throw new ScenarioException(name, 0, "", "not valid YAML: " + firstLine(e));
    }
    // A document that is no mapping is refused by the binding below, naming the file.
    if (tree instanceof ObjectNode document) overrides.forEach(o -> o.setIn(document, MAPPER, locations));
    try {
      root = MAPPER.treeToValue(tree, ScenarioYaml.Root.class);
    } catch (JsonMappingException e) {
      throw mappingError(name, locations, e);
    } catch (JsonProcessingException e) {
      throw syntaxError(name, e);
    } catch (RuntimeException e) {
      throw new ScenarioException(name, 0, "", "not valid YAML: " + firstLine(e));
    }
    // A document that is only a null node ("~", "! # note") maps to no object at all.
    if (root == null) throw new ScenarioException(name, 1, "", "not a scenario: the document is empty (null)");
    Path folder = file.toAbsolutePath().normalize().getParent();
    return new Check(name, folder, locations, checkFiles).scenario(file, withOverridesNoted(yaml), root);
  }

  /** The text kept in the report: the file's, then the {@code --set} fields, so that the run can be made again. */
  private String withOverridesNoted(String yaml) {
    if (overrides.isEmpty()) return yaml;
    StringBuilder text = new StringBuilder(yaml);
    if (!yaml.endsWith("\n")) text.append('\n');
    text.append("# set on the command line:\n");
    for (ScenarioOverride override : overrides) text.append("#   ").append(override.toString().replace("\n", "\\n")).append('\n');
    return text.toString();
  }

  private static void checkSize(String name, String yaml) {
    if (yaml.length() > MAX_CHARS) {
      throw new ScenarioException(name, 0, "", "the file is " + yaml.length() + " characters, larger than any scenario (at most "
          + MAX_CHARS + ")");
    }
    int line = 1;
    for (int start = 0; start < yaml.length(); line++) {
      int end = yaml.indexOf('\n', start);
      if (end < 0) end = yaml.length();
      if (end - start > MAX_LINE) {
        throw new ScenarioException(name, line, "", "the line is " + (end - start) + " characters long, more than "
            + MAX_LINE + " (split a long value, e.g. with YAML's folded style: >-)");
      }
      start = end + 1;
    }
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }

  private static ScenarioException syntaxError(String file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    int line = at == null ? 0 : at.getLineNr();
    // SnakeYAML's own message spans lines (context, marks, an excerpt); its parts make one line.
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      if (yaml.getProblemMark() != null) line = yaml.getProblemMark().getLine() + 1;
      String context = yaml.getContext() == null ? "" : yaml.getContext().strip() + ": ";
      return new ScenarioException(file, line, "", "not valid YAML: " + context + yaml.getProblem().strip());
    }
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage().strip();
    String first = message.lines().findFirst().orElse(message).strip();
    if (first.startsWith("Duplicate field")) first = "duplicate field" + first.substring("Duplicate field".length());
    else first = "not valid YAML: " + first;
    return new ScenarioException(file, line, "", first);
  }

  /** Unknown fields and wrong types, in the file's words rather than Java's. */
  private static ScenarioException mappingError(String file, YamlLocations locations, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      else if (ref.getIndex() >= 0) path.append('[').append(ref.getIndex()).append(']');
    }
    String field = path.toString();
    ScenarioOverride blamed = locations.blame(field);
    int line = blamed != null ? 0 : locations.lineOf(field);
    if (blamed == null && line == 0 && e.getLocation() != null) line = e.getLocation().getLineNr();
    file = blamed != null ? blamed.toString() : file;
    if (e instanceof UnrecognizedPropertyException u) {
      String known = fieldsOf(u.getReferringClass());
      String what = u.getReferringClass() == ScenarioYaml.PhaseItem.class ? "unknown phase" : "unknown field";
      return new ScenarioException(file, line, field, what + " (known: " + known + ")");
    }
    Class<?> type = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m ? m.getTargetType() : null;
    if (type == null && !e.getPath().isEmpty()) type = componentType(e.getPath().get(e.getPath().size() - 1));
    String shown = locations.shown(field);
    if (field.isEmpty()) {
      return new ScenarioException(file, line, "", "a scenario is a mapping of fields (" + fieldsOf(ScenarioYaml.Root.class)
          + "), not " + (shown == null ? "this" : shown));
    }
    return new ScenarioException(file, line, field, "must be " + describe(type) + (shown == null ? "" : ", not " + shown));
  }

  /** The declared type of the record field a reference points at; null when it is no record field. */
  private static Class<?> componentType(JsonMappingException.Reference ref) {
    Object from = ref.getFrom();
    Class<?> owner = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
    if (owner == null || !owner.isRecord() || ref.getFieldName() == null) return null;
    return Arrays.stream(owner.getRecordComponents()).filter(c -> c.getName().equals(ref.getFieldName()))
        .map(c -> c.getType()).findFirst().orElse(null);
  }

  private static String fieldsOf(Class<?> type) {
    if (type != null && type.isRecord()) {
      return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.joining(", "));
    }
    return "?";
  }

  private static String describe(Class<?> type) {
    if (type == null) return "something else";
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) return "a whole number";
    if (type == Double.class || type == double.class) return "a number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (type == String.class) return "text";
    if (List.class.isAssignableFrom(type)) return "a list";
    if (type == ScenarioYaml.PhaseItem.class) return "a phase such as connect: {rate: 100}";
    if (Map.class.isAssignableFrom(type)) return "a mapping";
    if (type.isRecord()) return "a mapping with " + fieldsOf(type);
    return "something else";
  }

  /** The checks of one file, with what they need to name a field's line. */
  private static final class Check {
    private final String file;
    private final Path folder;
    private final YamlLocations locations;
    private final boolean checkFiles;

    Check(String file, Path folder, YamlLocations locations, boolean checkFiles) {
      this.file = file;
      this.folder = folder;
      this.locations = locations;
      this.checkFiles = checkFiles;
    }

    /** The problem at its line of the file, or at the {@code --set} that made it (see {@link YamlLocations#blame}). */
    ScenarioException fail(String field, String problem) {
      ScenarioOverride blamed = locations.blame(field);
      return blamed != null ? new ScenarioException(blamed.toString(), 0, field, problem)
          : new ScenarioException(file, locations.lineOf(field), field, problem);
    }

    /** A path in the file is taken from the file's folder; one given with --set, from the working directory. */
    private Path resolve(String field, String text) {
      Path base = locations.overrideOf(field) == null ? folder : Path.of("").toAbsolutePath();
      return base.resolve(text.strip()).normalize();
    }

    /** The value as written in the file, for "not -5" in messages. */
    String shown(String field, Object value) {
      String shown = locations.shown(field);
      return shown != null ? shown : String.valueOf(value);
    }

    Scenario scenario(Path path, String yaml, ScenarioYaml.Root root) {
      String name = root.name() != null && !root.name().isBlank() ? root.name().strip() : baseName(path);
      String description = root.description() == null ? "" : root.description().strip();
      Target target = target(root.target());
      Fleet fleet = fleet(root.fleet(), target);
      Payload payload = payload(root.payload());
      List<Phase> phases = phases(root.phases(), fleet);
      List<Threshold> thresholds = thresholds(root.thresholds(), fleet, payload);
      return new Scenario(name, description, path, yaml, target, fleet, payload, phases, thresholds);
    }

    private static String baseName(Path path) {
      String name = path.getFileName().toString();
      return name.replaceFirst("\\.ya?ml$", "");
    }

    // ---- target ----

    private Target target(ScenarioYaml.Target t) {
      if (t == null) t = new ScenarioYaml.Target(null, null, null, null, null, null, null, null, null, null);
      boolean anyUrl = t.mqtt() != null || t.https() != null || t.wss() != null;
      boolean embedded = t.embedded() != null ? t.embedded() : !anyUrl;
      if (embedded) {
        for (String f : List.of("mqtt", "https", "wss", "ca", "topic", "path")) {
          if (locations.has("target." + f)) throw fail("target." + f, "not used with embedded: true (the testbed has its own)");
        }
      } else if (!anyUrl) {
        throw fail(locations.has("target.embedded") ? "target.embedded" : "target",
            "give the platform's mqtt, https or wss URL, or embedded: true");
      }
      // mqtt+wss: MQTT over a WebSocket over TLS (Mainflux's /mqtt); wss is the platform's WebSocket adapter.
      URI mqtt = url("target.mqtt", t.mqtt(), List.of("mqtts", "ssl", "mqtt+wss"), "mqtts://host:8883");
      URI https = url("target.https", t.https(), List.of("https"), "https://host/http");
      URI wss = url("target.wss", t.wss(), List.of("wss"), "wss://host/ws");
      Path ca = t.ca() == null ? null : caBundle(t.ca());
      Target.Profile profile = t.profile() == null
          ? (embedded ? Target.Profile.MAINFLUX : Target.Profile.GENERIC)
          : choice("target.profile", t.profile(), Target.Profile.values(), Target.Profile::label);
      Target.Authorization authorization = t.authorization() == null
          ? profile.defaultAuthorization()
          : choice("target.authorization", t.authorization(), Target.Authorization.values(), Target.Authorization::label);
      String topic = template("target.topic", t.topic(), profile, PlatformProfile::requireTopicTemplate,
          "devices/{thing_id}/telemetry/{subtopic}");
      if (topic != null && Arrays.stream(topic.split("/", -1)).anyMatch(l -> l.contains("{thing_id}") && !l.equals("{thing_id}"))) {
        throw fail("target.topic", "{thing_id} must be a topic level of its own, between '/': the run's subscribers "
            + "take '+' for it, which MQTT allows only as a whole level; not " + topic);
      }
      String path = template("target.path", t.path(), profile, PlatformProfile::requirePathTemplate,
          "/devices/{thing_id}/messages/{subtopic}");
      return new Target(embedded, mqtt, https, wss, ca, profile, authorization, topic, path, tls(t.tls()));
    }

    /**
     * A topic or path template of the generic profile. It must end in {@code /{subtopic}}: the
     * generator publishes under the sender's protocol ({@code mqtt3}, ...) there, which is how its
     * subscribers tell protocols apart and keep a warm-up's messages out.
     */
    private String template(String field, String text, Target.Profile profile, UnaryOperator<String> check, String example) {
      if (text == null) return null;
      if (profile != Target.Profile.GENERIC) {
        throw fail(field, "only with profile: generic (the " + profile + " profile's own layout is fixed)");
      }
      try {
        check.apply(text);
      } catch (IllegalArgumentException e) {
        throw fail(field, e.getMessage());
      }
      if (!text.endsWith("/{subtopic}") || text.indexOf("{subtopic}") != text.length() - "{subtopic}".length()) {
        throw fail(field, "must end in /{subtopic}, where the generator puts the sender's protocol for its subscribers, e.g. " + example);
      }
      return text;
    }

    private URI url(String field, String text, List<String> schemes, String example) {
      if (text == null) return null;
      URI uri;
      try {
        uri = new URI(text.strip());
      } catch (URISyntaxException e) {
        throw fail(field, "not a URL: " + text + " (write e.g. " + example + ")");
      }
      if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
        List<String> urls = schemes.stream().map(scheme -> scheme + "://").toList();
        String named = urls.size() == 1 ? urls.get(0)
            : String.join(", ", urls.subList(0, urls.size() - 1)) + " or " + urls.get(urls.size() - 1);
        throw fail(field, "must be an " + named + " URL (devices use mutual TLS), not " + text);
      }
      if (uri.getHost() == null) throw fail(field, "has no host: " + text + " (write e.g. " + example + ")");
      return uri;
    }

    private TlsOptions tls(ScenarioYaml.Tls t) {
      if (t == null) return TlsOptions.DEFAULT;
      List<String> versions = TlsOptions.KNOWN_VERSIONS;
      if (t.versions() != null) {
        if (t.versions().isEmpty()) throw fail("target.tls.versions", "give at least one of " + TlsOptions.KNOWN_VERSIONS);
        versions = new ArrayList<>();
        for (int i = 0; i < t.versions().size(); i++) {
          String v = t.versions().get(i);
          String at = "target.tls.versions[" + i + "]";
          String known = TlsOptions.KNOWN_VERSIONS.stream().filter(k -> k.equalsIgnoreCase(v == null ? "" : v.strip())).findFirst()
              .orElseThrow(() -> fail(at, "unknown TLS version " + v + " (known: " + String.join(", ", TlsOptions.KNOWN_VERSIONS) + ")"));
          if (versions.contains(known)) throw fail(at, known + " is listed twice");
          versions.add(known);
        }
      }
      TlsOptions.Provider provider = t.provider() == null ? TlsOptions.Provider.AUTO
          : choice("target.tls.provider", t.provider(), TlsOptions.Provider.values(), TlsOptions.Provider::label);
      TlsOptions.Ecdsa ecdsa = t.ecdsa() == null ? TlsOptions.Ecdsa.AUTO
          : choice("target.tls.ecdsa", t.ecdsa(), TlsOptions.Ecdsa.values(), TlsOptions.Ecdsa::label);
      TlsOptions.KeyShareMath keyShares = t.keyShares() == null ? TlsOptions.KeyShareMath.AUTO
          : choice("target.tls.keyShares", t.keyShares(), TlsOptions.KeyShareMath.values(), TlsOptions.KeyShareMath::label);
      List<String> groups = List.of();
      if (t.groups() != null) {
        if (t.groups().isEmpty()) throw fail("target.tls.groups", "give at least one group, e.g. [x25519], or leave the field out");
        groups = new ArrayList<>();
        for (int i = 0; i < t.groups().size(); i++) {
          String g = t.groups().get(i) == null ? "" : t.groups().get(i).strip().toLowerCase(Locale.ROOT);
          String at = "target.tls.groups[" + i + "]";
          if (!TlsSettings.KNOWN_GROUPS.contains(g)) {
            throw fail(at, "unknown key exchange group " + shown(at, t.groups().get(i)) + " (known: " + String.join(", ", TlsSettings.KNOWN_GROUPS) + ")");
          }
          if (groups.contains(g)) throw fail(at, g + " is listed twice");
          groups.add(g);
        }
        if (provider == TlsOptions.Provider.CONSCRYPT) {
          throw fail("target.tls.groups", "Conscrypt cannot be told its key exchange groups: use provider jdk, or auto (which then takes the JDK's)");
        }
      }
      return new TlsOptions(versions, provider,
          t.resumption() == null || t.resumption(),
          t.hostnameVerification() == null || t.hostnameVerification(), ecdsa, keyShares, groups);
    }

    // ---- fleet ----

    /** IP literals only (a host name would be looked up), each once; whether this machine has them is checked when the fleet opens. */
    private List<InetAddress> sourceAddresses(List<String> given) {
      if (given == null) return List.of();
      if (given.isEmpty()) throw fail("fleet.sourceAddresses", "give at least one address, e.g. [127.0.0.2, 127.0.0.3], or leave the field out");
      List<InetAddress> addresses = new ArrayList<>();
      for (int i = 0; i < given.size(); i++) {
        String at = "fleet.sourceAddresses[" + i + "]";
        String literal = given.get(i) == null ? "" : given.get(i).strip();
        if (!literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
          throw fail(at, "not an IP address: " + shown(at, given.get(i)));
        }
        InetAddress address;
        try {
          address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
          throw fail(at, "not an IP address: " + shown(at, given.get(i)));
        }
        if (addresses.contains(address)) throw fail(at, literal + " is listed twice");
        addresses.add(address);
      }
      return addresses;
    }

    private Fleet fleet(ScenarioYaml.Fleet f, Target target) {
      if (f == null) throw fail("fleet", "missing: give fleet: {count: 100} or fleet: {manifest: things.csv}");
      if (f.count() != null && f.manifest() != null) {
        // Name the one an option added, so that a --set is blamed for what it did.
        throw fail(locations.blame("fleet.count") != null ? "fleet.count" : "fleet.manifest", "give count or manifest, not both");
      }
      if (f.count() == null && f.manifest() == null) {
        throw fail("fleet", "give count (devices to issue identities for) or manifest (a things.csv of existing things)");
      }
      Path manifest = null;
      List<ManifestEntry> things = List.of();
      int count;
      if (f.manifest() != null) {
        for (String unused : List.of("keyType", "identities", "issuer")) {
          if (locations.has("fleet." + unused)) throw fail("fleet." + unused, "not used with a manifest (its things have their certificates)");
        }
        manifest = existingFile("fleet.manifest", f.manifest());
        if (checkFiles) {
          try {
            things = ThingManifest.read(manifest);
          } catch (CertsException e) {
            throw fail("fleet.manifest", e.getMessage());
          }
          if (things.size() > MAX_DEVICES) throw fail("fleet.manifest", "lists " + things.size() + " things, more than " + MAX_DEVICES);
        }
        count = things.size();
      } else {
        count = f.count();
        if (count < 1) throw fail("fleet.count", "must be at least 1, not " + shown("fleet.count", count));
        if (count > MAX_DEVICES) throw fail("fleet.count", "must be at most " + MAX_DEVICES + " (use shards), not " + count);
        if (!target.embedded() && f.issuer() == null) {
          throw fail("fleet.count", "a platform accepts only certificates from a CA it trusts: give fleet.issuer "
              + "(that CA's folder, with ca.crt and ca.key) or a manifest of things issued for it");
        }
      }
      KeyType keyType = KeyType.EC_P256;
      if (f.keyType() != null) {
        try {
          keyType = KeyType.parse(f.keyType());
        } catch (CertsException e) {
          throw fail("fleet.keyType", e.getMessage());
        }
      }
      Path issuer = f.issuer() == null ? null : existingIssuer("fleet.issuer", f.issuer());
      Path identities = f.identities() == null || f.identities().strip().equals("memory") ? null
          : identitiesFolder(f.identities(), target, issuer, count, keyType);
      int channels = f.channelsPerThing() == null ? 1 : f.channelsPerThing();
      if (channels < 1 || channels > 1000) throw fail("fleet.channelsPerThing", "must be from 1 to 1000, not " + shown("fleet.channelsPerThing", channels));
      ProtocolMix protocols = protocols(f.protocols(), count, target);
      MqttOptions mqtt = mqtt(f.mqtt());
      boolean mqttServed = target.serves(Protocol.MQTT3);
      int subscribers = f.subscribers() == null ? (mqttServed ? 1 : 0) : f.subscribers();
      if (subscribers < 0 || subscribers > 1000) throw fail("fleet.subscribers", "must be from 0 to 1000, not " + shown("fleet.subscribers", subscribers));
      if (subscribers > 0 && !mqttServed) throw fail("fleet.subscribers", "subscribers use MQTT, and the target has no mqtt URL (give one, or subscribers: 0)");
      return new Fleet(count, manifest, things, keyType, identities, issuer, channels, protocols, mqtt, subscribers,
          sourceAddresses(f.sourceAddresses()), Shard.WHOLE);
    }

    private ProtocolMix protocols(Map<String, Integer> percent, int count, Target target) {
      if (percent == null) {
        if (!target.serves(Protocol.MQTT3)) throw fail("fleet", "give protocols: the default, all mqtt3, needs target.mqtt");
        return ProtocolMix.only(Protocol.MQTT3, count);
      }
      Map<Protocol, Integer> mix = new EnumMap<>(Protocol.class);
      int sum = 0;
      for (Map.Entry<String, Integer> e : percent.entrySet()) {
        String at = "fleet.protocols." + e.getKey();
        Protocol p = Protocol.byLabel(e.getKey());
        if (p == null) throw fail(at, "unknown protocol (known: " + Protocol.labels() + ")");
        if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 100) {
          throw fail(at, "must be a percentage from 0 to 100, not " + shown(at, e.getValue()));
        }
        if (e.getValue() > 0 && !target.serves(p)) {
          String url = p.isMqtt() ? "mqtt" : p.label();
          throw fail(at, "the target has no " + url + " URL for these devices (give target." + url + ")");
        }
        mix.put(p, e.getValue());
        sum += e.getValue();
      }
      if (sum != 100) throw fail("fleet.protocols", "percentages must sum to 100, not " + sum);
      return new ProtocolMix(mix, count);
    }

    private MqttOptions mqtt(ScenarioYaml.Mqtt m) {
      if (m == null) return MqttOptions.DEFAULT;
      int qos = m.qos() == null ? MqttOptions.DEFAULT.qos() : m.qos();
      if (qos < 0 || qos > 2) throw fail("fleet.mqtt.qos", "must be 0, 1 or 2, not " + shown("fleet.mqtt.qos", qos));
      Duration keepAlive = m.keepAlive() == null ? MqttOptions.DEFAULT.keepAlive() : duration("fleet.mqtt.keepAlive", m.keepAlive(), true);
      if (keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) throw fail("fleet.mqtt.keepAlive", "must be at most 65535s (MQTT's limit), not " + m.keepAlive());
      if (keepAlive.toMillis() % 1000 != 0) throw fail("fleet.mqtt.keepAlive", "MQTT counts keep-alive in whole seconds, not " + m.keepAlive());
      return new MqttOptions(qos, keepAlive,
          m.cleanSession() == null ? MqttOptions.DEFAULT.cleanSession() : m.cleanSession(),
          m.retained() == null ? MqttOptions.DEFAULT.retained() : m.retained());
    }

    // ---- payload ----

    private Payload payload(ScenarioYaml.Payload p) {
      if (p == null) p = new ScenarioYaml.Payload(null, null, null);
      SenmlFormat format = p.format() == null ? SenmlFormat.JSON
          : choice("payload.format", p.format(), SenmlFormat.values(), f -> f.name().toLowerCase(Locale.ROOT));
      int size = p.size() == null ? 0 : p.size();
      if (size < 0 || size > MAX_PAYLOAD) throw fail("payload.size", "must be from 0 (no padding) to " + MAX_PAYLOAD + ", not " + shown("payload.size", size));
      List<? extends Map<String, ?>> records = p.records() == null ? PayloadTemplate.DEFAULT_RECORDS : p.records();
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i) == null) throw fail("payload.records[" + i + "]", "must be a mapping of SenML fields, not nothing");
      }
      try {
        return new Payload(format, size, PayloadTemplate.compile(records, format, size));
      } catch (PayloadTemplate.TemplateException e) {
        String field = "payload." + e.field();
        if (p.records() == null && field.startsWith("payload.records")) field = "payload.size"; // the default template is valid
        throw fail(field, e.getMessage());
      }
    }

    // ---- phases ----

    private static final List<String> PHASES = List.of("connect", "warmup", "publish", "hold", "churn", "disconnect");

    private List<Phase> phases(List<ScenarioYaml.PhaseItem> items, Fleet fleet) {
      if (items == null || items.isEmpty()) throw fail("phases", "give at least one phase, e.g. - connect: {rate: 100}");
      List<Phase> phases = new ArrayList<>();
      boolean connected = false;
      for (int i = 0; i < items.size(); i++) {
        String at = "phases[" + i + "]";
        ScenarioYaml.PhaseItem item = items.get(i);
        List<String> given = PHASES.stream().filter(k -> locations.has(at + "." + k)).toList();
        if (item == null || given.isEmpty()) throw fail(at, "give one phase: " + String.join(", ", PHASES));
        if (given.size() > 1) throw fail(at + "." + given.get(1), "one phase per list item; this one has " + String.join(" and ", given));
        String kind = given.get(0);
        String field = at + "." + kind;
        if (kind.equals("connect") && connected) throw fail(field, "the devices are connected already (disconnect first)");
        if (!kind.equals("connect") && !kind.equals("hold") && !connected) {
          throw fail(field, "no device is connected at this point (put a connect phase first)");
        }
        Phase phase = switch (kind) {
          case "connect" -> connect(field, item.connect(), fleet);
          case "publish" -> new Phase.Publish(publishing(field, item.publish(), "publish", fleet));
          case "warmup" -> new Phase.WarmUp(publishing(field, item.warmup(), "warmup", fleet));
          case "hold" -> new Phase.Hold(duration(field, item.hold(), false));
          case "churn" -> churn(field, item.churn(), fleet);
          default -> disconnect(field, item.disconnect(), fleet);
        };
        if (kind.equals("connect")) connected = true;
        if (kind.equals("disconnect")) connected = false;
        phases.add(phase);
      }
      return phases;
    }

    private Phase.Connect connect(String at, ScenarioYaml.Connect c, Fleet fleet) {
      if (c == null) throw fail(at, "give the rate: connect: {rate: 100}");
      double rate = positive(at + ".rate", c.rate(), "connections opened per second");
      double to = c.rampTo() == null ? rate : positive(at + ".rampTo", c.rampTo(), "connections per second at the end");
      return new Phase.Connect(RateSchedule.forEvents(rate, to, fleet.count()));
    }

    /** The schedule of a publish or warmup phase. */
    private RateSchedule publishing(String at, ScenarioYaml.Publish p, String kind, Fleet fleet) {
      if (p == null) throw fail(at, "give the rate and a duration or count: " + kind + ": {rate: 100, duration: 10s}");
      double rate;
      if (p.interval() != null) {
        // Each device once per interval, as emqtt-bench's -I has it: the fleet's rate is count / interval.
        if (p.rate() != null) throw fail(at + ".interval", "give rate (the fleet's messages per second) or interval (each device's), not both");
        if (p.rampTo() != null) throw fail(at + ".rampTo", "ramps go with rate, not with interval");
        Duration interval = duration(at + ".interval", p.interval(), false);
        rate = Math.max(1, fleet.count()) * 1e9 / interval.toNanos();
      } else {
        rate = positive(at + ".rate", p.rate(), "messages per second over the fleet (or give interval: each device's time between messages)");
      }
      double to = p.rampTo() == null ? rate : positive(at + ".rampTo", p.rampTo(), "messages per second at the end");
      if (p.duration() != null && p.count() != null) throw fail(at + ".count", "give duration or count, not both");
      if (p.duration() == null && p.count() == null) throw fail(at, "give a duration (e.g. 20s) or a count of messages");
      if (p.count() != null) {
        if (p.count() < 1) throw fail(at + ".count", "must be at least 1, not " + shown(at + ".count", p.count()));
        return RateSchedule.forEvents(rate, to, p.count());
      }
      return RateSchedule.ramp(rate, to, duration(at + ".duration", p.duration(), false));
    }

    private Phase.Churn churn(String at, ScenarioYaml.Churn c, Fleet fleet) {
      if (c == null) throw fail(at, "give share and duration: churn: {share: 0.05, duration: 10s}");
      if (c.share() == null) throw fail(at + ".share", "missing: the share of devices reconnecting per second, e.g. 0.05");
      if (!(c.share() > 0 && c.share() <= 1)) throw fail(at + ".share", "must be above 0 and at most 1, not " + shown(at + ".share", c.share()));
      if (c.duration() == null) throw fail(at + ".duration", "missing: how long devices churn, e.g. 10s");
      Duration duration = duration(at + ".duration", c.duration(), false);
      // A fleet from a manifest not opened (withoutFileChecks) has no size; one device keeps the schedule valid.
      return new Phase.Churn(c.share(), RateSchedule.constant(c.share() * Math.max(1, fleet.count()), duration));
    }

    private Phase.Disconnect disconnect(String at, ScenarioYaml.Disconnect d, Fleet fleet) {
      if (d == null || d.rate() == null) return new Phase.Disconnect(RateSchedule.immediate(fleet.count()));
      double rate = positive(at + ".rate", d.rate(), "connections closed per second");
      return new Phase.Disconnect(RateSchedule.forEvents(rate, rate, fleet.count()));
    }

    // ---- thresholds ----

    private List<Threshold> thresholds(List<String> texts, Fleet fleet, Payload payload) {
      if (texts == null) return List.of();
      List<Threshold> thresholds = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String at = "thresholds[" + i + "]";
        if (texts.get(i) == null) throw fail(at, "empty; write e.g. \"p99 publish latency < 250 ms\"");
        try {
          thresholds.add(Threshold.parse(texts.get(i)));
        } catch (IllegalArgumentException e) {
          throw fail(at, e.getMessage());
        }
        // A threshold that no run of this scenario can measure would fail every time.
        if (thresholds.get(i).key().startsWith("e2e.")) {
          if (fleet.subscribers() == 0) throw fail(at, "end-to-end latency needs subscribers (fleet.subscribers is 0)");
          if (!payload.template().carriesTime()) throw fail(at, "end-to-end latency needs ${time} in a t or bt of payload.records");
        }
      }
      return thresholds;
    }

    // ---- values ----

    private double positive(String field, Double value, String meaning) {
      if (value == null) throw fail(field, "missing: " + meaning);
      if (!(value > 0) || value.isInfinite()) throw fail(field, "must be positive, not " + shown(field, value));
      return value;
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, decimals allowed ({@code 1.5s}). */
    private Duration duration(String field, String text, boolean zeroAllowed) {
      Matcher m = DURATION.matcher(text == null ? "" : text.strip());
      if (!m.matches()) throw fail(field, "must be a duration such as 500ms, 10s, 2m or 1h, not " + shown(field, text));
      double amount = Double.parseDouble(m.group(1));
      double nanosPerUnit = switch (m.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      double nanos = amount * nanosPerUnit;
      if (nanos > 365 * 24 * 3600e9) throw fail(field, "must be at most a year, not " + text);
      Duration d = Duration.ofNanos(Math.round(nanos));
      if (d.isZero() && !zeroAllowed) throw fail(field, "must be longer than 0, not " + shown(field, text));
      return d;
    }

    /** The CA bundle, read now so that a damaged one is said with its field, not when devices start. */
    private Path caBundle(String text) {
      Path path = existingFile("target.ca", text);
      if (!checkFiles) return path;
      try {
        Pem.readCertificates(path);
      } catch (CertsException e) {
        throw fail("target.ca", e.getMessage());
      }
      return path;
    }

    private Path existingFile(String field, String text) {
      Path path = resolve(field, text);
      if (checkFiles && !Files.isRegularFile(path)) throw fail(field, "no such file: " + path);
      return path;
    }

    /**
     * A folder that a run writes the fleet's identities to, or reads them from when it holds a fleet
     * already: that fleet must suit this one (enough things, the key type, signed by the CA that the
     * run trusts: the folder's own ca.crt for the embedded testbed, else the issuer's).
     */
    private Path identitiesFolder(String text, Target target, Path issuer, int count, KeyType keyType) {
      String field = "fleet.identities";
      Path path = resolve(field, text);
      if (!checkFiles) return path;
      if (Files.exists(path) && !Files.isDirectory(path)) throw fail(field, path + " is a file, not a folder");
      IdentityFolder stored = IdentityFolder.at(path);
      if (!stored.holdsFleet()) return path;
      Path caFile = target.embedded() ? path.resolve("ca.crt") : issuer.resolve("ca.crt");
      if (!Files.isRegularFile(caFile)) {
        throw fail(field, path + " holds things.csv but no ca.crt: the testbed CA that signed its identities is gone; "
            + "remove the folder, or name another, to issue a new fleet");
      }
      try {
        IdentityFolder.requireFits(stored.read(), path, count, keyType, Pem.readCertificates(caFile).get(0));
      } catch (CertsException e) {
        throw fail(field, e.getMessage());
      }
      return path;
    }

    private Path existingIssuer(String field, String text) {
      Path path = resolve(field, text);
      if (checkFiles) {
        if (!Files.isDirectory(path)) throw fail(field, "no such folder: " + path);
        for (String f : List.of("ca.crt", "ca.key")) {
          if (!Files.isRegularFile(path.resolve(f))) throw fail(field, path + " has no " + f + " (make one with certs ca --dir)");
        }
      }
      return path;
    }

    private <E> E choice(String field, String text, E[] values, java.util.function.Function<E, String> label) {
      String wanted = text.strip().toLowerCase(Locale.ROOT);
      for (E v : values) {
        if (label.apply(v).equals(wanted)) return v;
      }
      String known = Arrays.stream(values).map(label).collect(Collectors.joining(", "));
      throw fail(field, "unknown value " + text + " (known: " + known + ")");
    }
  }
}
