package io.thingstorm.loadgen.handshake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thingstorm.loadgen.report.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A handshake storm's figures as a short text and as {@code handshake.json}. */
public final class HandshakeReport {
  public static final String JSON = "handshake.json";

  private HandshakeReport() {}

  public static String text(HandshakeResult r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "handshakes against %s, provider %s, %s%s, %s, %.1f s counted%n",
        r.target(), r.provider(), r.negotiated().isEmpty() ? r.versions() : r.negotiated(),
        r.resume() ? ", resumption on" : ", full handshakes", load(r), r.window().toMillis() / 1000.0));
    s.append(String.format(Locale.ROOT, "  handshakes/s  %.1f  (%d succeeded, %d failed)%n",
        r.handshakesPerSecond(), r.succeeded(), r.failed()));
    if (r.succeeded() == 0) {
      s.append("  latency ms    - (no handshake succeeded)").append(System.lineSeparator());
    } else {
      s.append(String.format(Locale.ROOT, "  latency ms    p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          r.latencyMillis(50), r.latencyMillis(90), r.latencyMillis(99), r.latencyMillis(100)));
    }
    s.append(String.format(Locale.ROOT, "  resumed       %d (%.1f %%)%n", r.resumed(), 100 * r.resumedShare()));
    s.append(String.format(Locale.ROOT, "  client CPU    %.2f ms/handshake in the workers (thread CPU time), %.2f ms in the whole JVM%n",
        r.workerCpuMillisPerHandshake(), r.processCpuMillisPerHandshake()));
    if (r.rate() > 0) {
      s.append(String.format(Locale.ROOT, "  generator lag max %.1f ms behind the due times%n", r.maxLagMicros() / 1000.0));
      if (r.handshakesPerSecond() < 0.95 * r.rate()) {
        s.append(String.format(Locale.ROOT, "  the rate was not kept: %.1f/s done of %.0f/s due (the client's CPU, the server, or too few --workers)%n",
            r.handshakesPerSecond(), r.rate()));
      }
    }
    r.failures().forEach((kind, count) -> s.append(String.format(Locale.ROOT, "  failed: %s  %d%n", kind.title(), count)));
    return s.toString();
  }

  private static String load(HandshakeResult r) {
    return r.rate() > 0
        ? String.format(Locale.ROOT, "%.0f/s due (open model) on %d workers", r.rate(), r.concurrency())
        : "concurrency " + r.concurrency() + " (closed loop)";
  }

  /** Every figure, with the machine, as JSON. */
  public static Map<String, Object> toMap(HandshakeResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", r.target());
    m.put("provider", r.provider());
    m.put("versions", r.versions());
    m.put("negotiated", r.negotiated());
    m.put("resume", r.resume());
    m.put("concurrency", r.concurrency());
    m.put("rate", r.rate());
    m.put("windowSeconds", r.window().toMillis() / 1000.0);
    m.put("succeeded", r.succeeded());
    m.put("failed", r.failed());
    m.put("handshakesPerSecond", r.handshakesPerSecond());
    m.put("resumed", r.resumed());
    m.put("resumedShare", r.resumedShare());
    Map<String, Object> latency = new LinkedHashMap<>();
    for (double p : new double[] {50, 90, 99, 99.9, 100}) latency.put("p" + (p == 100 ? "max" : trim(p)), finite(r.latencyMillis(p)));
    m.put("latencyMillis", latency);
    m.put("workerCpuMillisPerHandshake", finite(r.workerCpuMillisPerHandshake()));
    m.put("processCpuMillisPerHandshake", finite(r.processCpuMillisPerHandshake()));
    m.put("maxLagMillis", r.maxLagMicros() / 1000.0);
    Map<String, Long> failures = new LinkedHashMap<>();
    r.failures().forEach((k, v) -> failures.put(k.name(), v));
    m.put("failures", failures);
    m.put("machine", Machine.current(r.provider()));
    return m;
  }

  public static Path writeJson(HandshakeResult r, Path dir) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(JSON);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toMap(r));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(JSON) + ": " + e.getMessage(), e);
    }
  }

  private static String trim(double p) {
    return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
