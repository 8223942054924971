package io.thingstorm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Turns JMH's JSON results into Markdown a person can read: one table per benchmark method (params,
 * score, error, unit, and the secondary counters, with the handshake's client and server time per
 * handshake worked out), then the ratios the benchmarks exist for: mutual / server-only,
 * resumed / full, CBOR / JSON, handshake / crypto limit, and a socket handshake's client CPU against
 * the in-memory one (socket / in-memory), remembered against checked chains. A ratio is printed only where both of
 * its figures were measured in the same run.
 *
 * <p>Usage: {@code ResultsTable results.json [out.md]} (stdout without out.md).
 */
public final class ResultsTable {
  private static final String PACKAGE = ResultsTable.class.getPackageName() + ".";
  private static final String SOCKET = "SocketHandshakeBenchmark.handshake";

  /** One benchmark method with one set of params. */
  record Row(String benchmark, String mode, Map<String, String> params, double score, double error, String unit,
             Map<String, Double> secondary) {
    String clazz() {
      return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    String param(String name) {
      return params.getOrDefault(name, "");
    }

    /** The same benchmark's key without one param, to pair rows that differ in that param only. */
    String keyWithout(String param) {
      Map<String, String> rest = new TreeMap<>(params);
      rest.remove(param);
      return benchmark + rest;
    }
  }

  private final List<Row> rows;

  ResultsTable(List<Row> rows) {
    this.rows = rows;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ResultsTable results.json [out.md]");
      System.exit(2);
    }
    String markdown = read(Path.of(args[0])).markdown();
    if (args.length == 2) Files.writeString(Path.of(args[1]), markdown);
    else System.out.print(markdown);
  }

  static ResultsTable read(Path json) throws IOException {
    return parse(Files.readString(json));
  }

  static ResultsTable parse(String json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    List<Row> rows = new ArrayList<>();
    for (JsonNode result : root) {
      String benchmark = result.path("benchmark").asText();
      if (benchmark.startsWith(PACKAGE)) benchmark = benchmark.substring(PACKAGE.length());
      Map<String, String> params = new TreeMap<>();
      result.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode primary = result.path("primaryMetric");
      Map<String, Double> secondary = new TreeMap<>();
      result.path("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(), e.getValue().path("score").asDouble()));
      rows.add(new Row(benchmark, result.path("mode").asText(), params, primary.path("score").asDouble(),
          number(primary.path("scoreError")), primary.path("scoreUnit").asText(), secondary));
    }
    return new ResultsTable(rows);
  }

  /** JMH writes "NaN" (a string) for the error of a single iteration. */
  private static double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }

  List<Row> rows() {
    return rows;
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    Map<String, List<Row>> byBenchmark = new LinkedHashMap<>();
    rows.forEach(r -> byBenchmark.computeIfAbsent(r.benchmark(), b -> new ArrayList<>()).add(r));
    byBenchmark.forEach((benchmark, group) -> table(out, benchmark, group));
    ratios(out);
    return out.toString();
  }

  private static void table(StringBuilder out, String benchmark, List<Row> group) {
    TreeSet<String> params = new TreeSet<>();
    TreeSet<String> secondary = new TreeSet<>();
    group.forEach(r -> {
      params.addAll(r.params().keySet());
      secondary.addAll(r.secondary().keySet());
    });
    boolean handshake = secondary.containsAll(List.of("clientNanos", "serverNanos", "handshakes"));
    if (handshake) secondary.removeAll(List.of("clientNanos", "serverNanos", "handshakes"));
    boolean clientCpu = secondary.containsAll(List.of("clientCpuNanos", "handshakes"));
    if (clientCpu) secondary.removeAll(List.of("clientCpuNanos", "handshakes"));
    boolean kernel = clientCpu && secondary.remove("clientUserNanos");
    out.append("### ").append(benchmark).append("\n\n|");
    params.forEach(p -> out.append(' ').append(p).append(" |"));
    out.append(" score | error | unit |");
    if (handshake) out.append(" client µs/hs | server µs/hs |");
    if (clientCpu) out.append(" client CPU µs/hs |");
    if (kernel) out.append(" of which kernel µs/hs |");
    secondary.forEach(s -> out.append(' ').append(s).append(" |"));
    out.append("\n|");
    out.append("---|".repeat(params.size())).append("---:|---:|---|");
    if (handshake) out.append("---:|---:|");
    if (clientCpu) out.append("---:|");
    if (kernel) out.append("---:|");
    out.append("---:|".repeat(secondary.size())).append('\n');
    for (Row r : group) {
      out.append('|');
      params.forEach(p -> out.append(' ').append(r.param(p)).append(" |"));
      out.append(' ').append(figure(r.score())).append(" | ").append(Double.isNaN(r.error()) ? "" : "± " + figure(r.error()))
          .append(" | ").append(r.unit()).append(" |");
      if (handshake) {
        out.append(' ').append(figure(perHandshake(r, "clientNanos"))).append(" | ")
            .append(figure(perHandshake(r, "serverNanos"))).append(" |");
      }
      if (clientCpu) out.append(' ').append(figure(perHandshake(r, "clientCpuNanos"))).append(" |");
      if (kernel) out.append(' ').append(figure(perHandshake(r, "clientCpuNanos") - perHandshake(r, "clientUserNanos"))).append(" |");
      secondary.forEach(s -> out.append(' ').append(r.secondary().containsKey(s) ? figure(r.secondary().get(s)) : "").append(" |"));
      out.append('\n');
    }
    out.append('\n');
  }

  static double perHandshake(Row r, String nanos) {
    double handshakes = r.secondary().getOrDefault("handshakes", 0.0);
    return handshakes > 0 ? r.secondary().getOrDefault(nanos, 0.0) / handshakes / 1000 : Double.NaN;
  }

  private void ratios(StringBuilder out) {
    List<String> lines = new ArrayList<>();
    pairRatios(lines, "HandshakeBenchmark.handshake", "auth", "mutual", "server-only", "mutual / server-only");
    pairRatios(lines, "HandshakeBenchmark.handshake", "session", "resumed", "full", "resumed / full");
    ToDoubleFunction<Row> socketCpu = r -> perHandshake(r, "clientCpuNanos");
    pairRatios(lines, SOCKET, "session", "resumed", "full", "resumed / full (client CPU)", socketCpu);
    pairRatios(lines, SOCKET, "chains", "checked", "remembered", "checked / remembered chains (client CPU)", socketCpu);
    pairRatios(lines, SOCKET, "groups", "x25519", "default", "x25519 alone / default groups (client CPU)", socketCpu);
    socketRatios(lines);
    pairRatios(lines, "SenmlCodecBenchmark.encode", "format", "CBOR", "JSON", "CBOR / JSON");
    pairRatios(lines, "SenmlCodecBenchmark.decode", "format", "CBOR", "JSON", "CBOR / JSON");
    cryptoLimitRatios(lines);
    if (lines.isEmpty()) return;
    out.append("### Ratios\n\n| ratio | benchmark | params | value |\n|---|---|---|---:|\n");
    lines.forEach(l -> out.append(l).append('\n'));
    out.append('\n');
  }

  private void pairRatios(List<String> lines, String benchmark, String param, String numerator, String denominator, String name) {
    pairRatios(lines, benchmark, param, numerator, denominator, name, Row::score);
  }

  private void pairRatios(List<String> lines, String benchmark, String param, String numerator, String denominator, String name,
                          ToDoubleFunction<Row> metric) {
    Map<String, Row> denominators = new LinkedHashMap<>();
    rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.param(param).equals(denominator))
        .forEach(r -> denominators.put(r.keyWithout(param), r));
    for (Row top : rows) {
      if (!top.benchmark().equals(benchmark) || !top.param(param).equals(numerator)) continue;
      Row bottom = denominators.get(top.keyWithout(param));
      if (bottom == null || !(metric.applyAsDouble(bottom) > 0)) continue;
      Map<String, String> rest = new TreeMap<>(top.params());
      rest.remove(param);
      String value = figure(metric.applyAsDouble(top) / metric.applyAsDouble(bottom));
      Double topBytes = top.secondary().get("packBytes");
      Double bottomBytes = bottom.secondary().get("packBytes");
      if (topBytes != null && bottomBytes != null && bottomBytes > 0) value += " (size " + figure(topBytes / bottomBytes) + ")";
      lines.add("| " + name + " | " + benchmark + " | " + describe(rest) + " | " + value + " |");
    }
  }

  /**
   * The client's CPU per handshake over a loopback socket against its time inside the engine in
   * memory, for the same key type, version, provider and session (mutual TLS): what the socket, the
   * system calls and the socket's own TLS plumbing add. Socket rows with the default groups; both
   * benchmarks build the client through TlsSettings, with remembered chains by default.
   */
  private void socketRatios(List<String> lines) {
    for (Row socket : rows) {
      if (!socket.benchmark().equals(SOCKET) || !socket.param("groups").equals("default")) continue;
      double socketCpu = perHandshake(socket, "clientCpuNanos");
      Optional<Row> memory = rows.stream().filter(r -> r.benchmark().equals("HandshakeBenchmark.handshake")
          && r.param("auth").equals("mutual") && r.param("keyType").equals(socket.param("keyType"))
          && r.param("tls").equals(socket.param("tls")) && r.param("provider").equals(socket.param("provider"))
          && r.param("session").equals(socket.param("session"))).findFirst();
      if (memory.isEmpty() || Double.isNaN(socketCpu)) continue;
      double inMemory = perHandshake(memory.get(), "clientNanos");
      if (!(inMemory > 0)) continue;
      lines.add("| socket / in-memory (client) | " + SOCKET + " | " + describe(socket.params()) + " | "
          + figure(socketCpu / inMemory) + " (" + figure(socketCpu) + " / " + figure(inMemory) + " µs) |");
    }
  }

  /**
   * A handshake needs per side one ECDHE (X25519: the group both the JDK and Conscrypt choose
   * first; P-256 where the provider has no X25519), two verifications (the peer's certificate, its CertificateVerify or ServerKeyExchange)
   * when the peer shows a certificate, and one signature when this side shows one. The client's
   * crypto is counted with its provider, the server's (always the JDK's JSSE) with the JDK.
   */
  private void cryptoLimitRatios(List<String> lines) {
    for (Row hs : rows) {
      if (!hs.benchmark().equals("HandshakeBenchmark.handshake") || !hs.param("session").equals("full")) continue;
      boolean mutual = hs.param("auth").equals("mutual");
      String keyType = hs.param("keyType");
      Optional<Double> clientBound = sideBound(hs.param("provider"), keyType, true, mutual);
      Optional<Double> serverBound = sideBound("JDK", keyType, mutual, true);
      if (clientBound.isEmpty() || serverBound.isEmpty()) continue;
      double factor = unitToMicros(hs.unit());
      String params = describe(hs.params());
      lines.add("| handshake / crypto limit | HandshakeBenchmark.handshake | " + params + " | "
          + figure(hs.score() * factor / (clientBound.get() + serverBound.get()))
          + " (bound " + figure(clientBound.get() + serverBound.get()) + " µs) |");
      double client = perHandshake(hs, "clientNanos");
      if (!Double.isNaN(client)) {
        lines.add("| client / client crypto limit | HandshakeBenchmark.handshake | " + params + " | "
            + figure(client / clientBound.get()) + " (bound " + figure(clientBound.get()) + " µs) |");
      }
    }
  }

  /** The crypto one side does, in µs, from CryptoLimitBenchmark's rows; empty when one is missing. */
  private Optional<Double> sideBound(String provider, String keyType, boolean peerShowsCertificate, boolean showsCertificate) {
    Optional<Double> ecdhe = micros(r -> r.benchmark().equals("CryptoLimitBenchmark.ecdhe")
        && r.param("group").equals("X25519") && r.param("kexProvider").equals(provider));
    if (ecdhe.isEmpty()) { // Conscrypt has no X25519 in the JCA: its P-256 is an upper estimate
      ecdhe = micros(r -> r.benchmark().equals("CryptoLimitBenchmark.ecdhe")
          && r.param("group").equals("P-256") && r.param("kexProvider").equals(provider));
    }
    Optional<Double> sign = micros(r -> r.benchmark().equals("CryptoLimitBenchmark.sign")
        && r.param("keyType").equals(keyType) && r.param("provider").equals(provider));
    Optional<Double> verify = micros(r -> r.benchmark().equals("CryptoLimitBenchmark.verify")
        && r.param("keyType").equals(keyType) && r.param("provider").equals(provider));
    if (ecdhe.isEmpty() || (showsCertificate && sign.isEmpty()) || (peerShowsCertificate && verify.isEmpty())) return Optional.empty();
    double total = ecdhe.get();
    if (showsCertificate) total += sign.get();
    if (peerShowsCertificate) total += 2 * verify.get();
    return Optional.of(total);
  }

  private Optional<Double> micros(Predicate<Row> which) {
    return rows.stream().filter(which).findFirst().map(r -> r.score() * unitToMicros(r.unit()));
  }

  private static double unitToMicros(String unit) {
    return switch (unit) {
      case "ns/op" -> 0.001;
      case "us/op" -> 1;
      case "ms/op" -> 1000;
      case "s/op" -> 1_000_000;
      default -> throw new IllegalArgumentException("not a time per operation: " + unit);
    };
  }

  private static String describe(Map<String, String> params) {
    StringBuilder s = new StringBuilder();
    params.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(v));
    return s.toString();
  }

  static String figure(double value) {
    if (Double.isNaN(value)) return "";
    double magnitude = Math.abs(value);
    if (magnitude >= 100) return String.format(Locale.ROOT, "%,.0f", value);
    if (magnitude >= 10) return String.format(Locale.ROOT, "%.1f", value);
    if (magnitude >= 1) return String.format(Locale.ROOT, "%.2f", value);
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
