package io.thingstorm.loadgen.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingstorm.loadgen.metrics.Measurements.Latency;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import io.thingstorm.loadgen.scenario.Threshold;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * report.html: one self-contained page that opens without a network. uPlot (from its WebJar) and
 * the page's data are inlined; the tables are plain HTML, so they read even with scripts off.
 */
public final class HtmlReport {
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  /** The metrics whose percentile distribution gets a plot of its own, when measured. */
  static final List<Metric> DISTRIBUTIONS = List.of(Metric.PUBLISH, Metric.CONNECT, Metric.TLS_HANDSHAKE, Metric.END_TO_END);
  /** Percentiles from 0 to 99.999 %, evenly spaced on the classic log scale of 1 / (1 - p). */
  private static final int STEPS_PER_DECADE = 20;
  private static final int DECADES = 5;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLOSING_SCRIPT = Pattern.compile("(?i)</(script)");
  private static final Pattern CLOSING_STYLE = Pattern.compile("(?i)</(style)");

  private HtmlReport() {}

  /** How many uPlot charts {@link #render} draws for this report. */
  public static int plotCount(RunReport r) {
    return 5 + (int) DISTRIBUTIONS.stream().filter(m -> r.histogram(m, null).getTotalCount() > 0).count();
  }

  public static String render(RunReport r) {
    StringBuilder h = new StringBuilder(120_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<title>thingstorm: ").append(text(r.scenarioName())).append("</title>\n");
    h.append("<style>\n").append(inlineStyle(resource("uPlot.min.css"))).append("\n").append(PAGE_CSS).append("</style>\n");
    h.append("</head>\n<body>\n");
    h.append("<h1>thingstorm run: ").append(text(r.scenarioName())).append("</h1>\n");
    h.append("<p class=\"meta\">").append(text(r.start().toString())).append(" .. ").append(text(r.end().toString()))
        .append(String.format(Locale.ROOT, " (%.1f s)", r.seconds()));
    if (r.shards().size() > 1) h.append(" · ").append(r.shards().size()).append(" shards merged");
    else if (r.shards().get(0).count() > 1) h.append(" · shard ").append(r.shards().get(0));
    h.append("<br>").append(text(r.machines().get(0).toString()));
    if (r.machines().stream().distinct().count() > 1) h.append(" and others");
    if (!r.generators().isEmpty()) h.append("<br>generator: ").append(text(TextSummary.generator(r.generator())));
    h.append("</p>\n");

    headline(h, r);
    verdicts(h, r);
    if (!r.notes().isEmpty()) {
      h.append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
      r.notes().forEach(n -> h.append("<li>").append(text(n)).append("</li>\n"));
      h.append("</ul>\n");
    }

    h.append("<h2>Over time</h2>\n");
    h.append("<div class=\"plot\" id=\"plot-connections\"></div>\n");
    h.append("<div class=\"plot\" id=\"plot-messages\"></div>\n");
    h.append("<div class=\"plot\" id=\"plot-latency\"></div>\n");
    h.append("<div class=\"plot\" id=\"plot-errors\"></div>\n");
    h.append("<div class=\"plot\" id=\"plot-generator\"></div>\n");
    h.append("<h2>Latency distribution by protocol</h2>\n<div id=\"distributions\"></div>\n");

    latencyTable(h, r);
    countsTable(h, r);
    h.append("<h2>Scenario</h2>\n<details><summary>").append(text(r.scenarioName()))
        .append("</summary>\n<pre>").append(text(r.scenarioText())).append("</pre></details>\n");

    h.append("<script type=\"application/json\" id=\"report-data\">").append(inlineJson(data(r))).append("</script>\n");
    h.append("<script>\n").append(inlineScript(resource("uPlot.iife.min.js"))).append("\n</script>\n");
    h.append("<script>\n").append(PAGE_SCRIPT).append("</script>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void headline(StringBuilder h, RunReport r) {
    ProtocolCounts t = r.totals();
    h.append("<div class=\"figures\">\n");
    figure(h, "devices connected at most", TextSummary.count(r.connectedMax()));
    figure(h, "handshakes/s", TextSummary.rate(r.handshakesPerSecond()));
    figure(h, "messages/s acknowledged", TextSummary.rate(r.messagesPerSecond()));
    figure(h, "publish p99", percentile(r, Metric.PUBLISH, 99));
    figure(h, "errors", String.format(Locale.ROOT, "%.3f %%", r.errorsPercent()));
    figure(h, "lost", TextSummary.count(r.subscribed() ? r.undelivered() : r.unacknowledged()) + " of " + TextSummary.count(t.sent()));
    h.append("</div>\n");
  }

  private static String percentile(RunReport r, Metric m, double p) {
    double ms = r.percentileMs(m, null, p);
    return io.thingstorm.loadgen.metrics.LiveProgress.millis(ms);
  }

  private static void figure(StringBuilder h, String label, String value) {
    h.append("<div class=\"figure\"><div class=\"value\">").append(text(value)).append("</div><div class=\"label\">")
        .append(text(label)).append("</div></div>\n");
  }

  private static void verdicts(StringBuilder h, RunReport r) {
    h.append("<h2>Thresholds</h2>\n");
    if (r.verdicts().isEmpty()) {
      h.append("<p id=\"verdicts\">").append(r.thresholds().isEmpty() ? "The scenario sets no thresholds."
          : "Not judged: " + text(String.join("; ", r.thresholds()))).append("</p>\n");
      return;
    }
    h.append("<table id=\"verdicts\"><tr><th>threshold</th><th>verdict</th><th>actual</th></tr>\n");
    for (Verdict v : r.verdicts()) {
      h.append("<tr class=\"").append(v.passed() ? "pass" : "fail").append("\"><td>").append(text(v.threshold()))
          .append("</td><td>").append(v.passed() ? "PASS" : "FAIL").append("</td><td class=\"n\">")
          .append(text(TextSummary.figure(v.actual()) + Threshold.unitOf(v.threshold()))).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void latencyTable(StringBuilder h, RunReport r) {
    h.append("<h2>Latency (ms)</h2>\n<table><tr><th>metric</th><th>protocol</th><th>count</th><th>min</th><th>mean</th>"
        + "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
    for (Latency l : r.latencies()) {
      Histogram x = l.histogram();
      h.append("<tr><td>").append(l.metric().key()).append("</td><td>").append(text(l.protocol())).append("</td>");
      for (String v : List.of(TextSummary.count(x.getTotalCount()), TextSummary.ms(x.getMinValue()),
          TextSummary.ms(x.getMean()), TextSummary.ms(x.getValueAtPercentile(50)), TextSummary.ms(x.getValueAtPercentile(90)),
          TextSummary.ms(x.getValueAtPercentile(99)), TextSummary.ms(x.getValueAtPercentile(99.9)), TextSummary.ms(x.getMaxValue()))) {
        h.append("<td class=\"n\">").append(v).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void countsTable(StringBuilder h, RunReport r) {
    h.append("<h2>Counts</h2>\n<table><tr><th>protocol</th><th>sent</th><th>acknowledged</th><th>received</th>"
        + "<th>duplicates</th><th>handshakes full</th><th>resumed</th><th>failures</th></tr>\n");
    List<ProtocolCounts> rows = new ArrayList<>(r.counts());
    if (rows.size() > 1) rows.add(r.totals());
    for (ProtocolCounts c : rows) {
      h.append("<tr><td>").append(text(c.protocol())).append("</td>");
      for (long v : new long[] {c.sent(), c.acknowledged(), c.received(), c.duplicates(), c.handshakesFull(),
          c.handshakesResumed(), c.failureCount()}) {
        h.append("<td class=\"n\">").append(TextSummary.count(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n<p>").append(TextSummary.count(r.reconnects())).append(" reconnects");
    String failures = TextSummary.failures(r);
    if (!failures.isEmpty()) h.append(" · failures: ").append(text(failures));
    h.append("</p>\n");
  }

  /** What the page's script plots. */
  static ObjectNode data(RunReport r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("subscribed", r.subscribed());
    ObjectNode t = root.putObject("timeline");
    List<TimelinePoint> points = r.timeline();
    Set<String> classes = new TreeSet<>();
    points.forEach(p -> classes.addAll(p.errors().keySet()));
    ArrayNode second = t.putArray("second"), connected = t.putArray("connected"), hs = t.putArray("handshakes"),
        sent = t.putArray("sent"), acked = t.putArray("acknowledged"), received = t.putArray("received"),
        p50 = t.putArray("p50"), p99 = t.putArray("p99"), lag = t.putArray("lagP99"),
        warmUp = t.putArray("warmUp"), warmUpConnects = t.putArray("warmUpConnects"), cpu = t.putArray("generatorCpu");
    ObjectNode errors = t.putObject("errors");
    for (TimelinePoint p : points) {
      second.add(p.second());
      connected.add(p.connected());
      add(hs, p.handshakesPerSecond());
      add(sent, p.sentPerSecond());
      add(acked, p.acknowledgedPerSecond());
      add(received, p.receivedPerSecond());
      add(p50, p.publishP50Ms());
      add(p99, p.publishP99Ms());
      add(lag, p.lagP99Ms());
      add(warmUp, p.warmUpPerSecond());
      add(warmUpConnects, p.warmUpConnectsPerSecond());
      add(cpu, p.generatorCpuPercent());
      for (String c : classes) {
        (errors.has(c) ? (ArrayNode) errors.get(c) : errors.putArray(c)).add(p.errors().getOrDefault(c, 0L));
      }
    }
    ArrayNode distributions = root.putArray("distributions");
    for (Metric m : DISTRIBUTIONS) {
      if (r.histogram(m, null).getTotalCount() == 0) continue;
      ObjectNode d = distributions.addObject();
      d.put("metric", m.key());
      ArrayNode x = d.putArray("x");
      for (int i = 0; i <= STEPS_PER_DECADE * DECADES; i++) x.add(Math.pow(10, (double) i / STEPS_PER_DECADE));
      ArrayNode series = d.putArray("series");
      for (Latency l : r.latencies()) {
        if (l.metric() != m) continue;
        ObjectNode s = series.addObject();
        s.put("protocol", l.protocol());
        ArrayNode values = s.putArray("ms");
        for (int i = 0; i <= STEPS_PER_DECADE * DECADES; i++) {
          double percentile = 100 * (1 - 1 / Math.pow(10, (double) i / STEPS_PER_DECADE));
          values.add(l.histogram().getValueAtPercentile(percentile) / 1000.0);
        }
      }
    }
    return root;
  }

  private static void add(ArrayNode a, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) a.addNull();
    else a.add(v);
  }

  // ---- escaping: the page inlines text from scenario files and a library ----

  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** JSON never needs a literal '<', so escaping every one keeps {@code </script>} and {@code <!--} out. */
  static String inlineJson(ObjectNode data) {
    try {
      return JSON.writeValueAsString(data).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String inlineScript(String js) {
    return CLOSING_SCRIPT.matcher(js).replaceAll("<\\\\/$1").replace("<!--", "<\\!--");
  }

  static String inlineStyle(String css) {
    return CLOSING_STYLE.matcher(css).replaceAll("<\\\\/$1");
  }

  private static String resource(String name) {
    String path = UPLOT + name;
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " is not on the class path (the uplot WebJar)");
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String PAGE_CSS = """
      body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; }
      h1 { font-size: 24px; margin-bottom: 4px; }
      h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      .meta { color: #555; margin-top: 0; }
      .figures { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
      .figure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
      .figure .value { font-size: 22px; font-weight: bold; }
      .figure .label { color: #666; font-size: 13px; }
      table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
      th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      tr.pass td:nth-child(2) { color: #16794a; font-weight: bold; }
      tr.fail td:nth-child(2) { color: #c0262d; font-weight: bold; }
      .plot { margin: 12px 0 20px; }
      pre { background: #f6f6f6; padding: 10px; overflow-x: auto; }
      .notes li { color: #8a4b00; }
      """;

  private static final String PAGE_SCRIPT = """
      (function () {
        const data = JSON.parse(document.getElementById('report-data').textContent);
        const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
        const width = () => Math.min(1200, document.body.clientWidth || 1200);
        const t = data.timeline;
        // whole seconds only on the time axis
        const seconds = { label: 'seconds since start', scale: 'x', incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600] };
        function series(label, i, scale) {
          return { label: label, stroke: colors[i % colors.length], width: 2, scale: scale || 'y', spanGaps: false };
        }
        function plot(id, title, columns, seriesList, axes, scales) {
          const opts = {
            title: title, width: width(), height: 260, legend: { live: false },
            scales: Object.assign({ x: { time: false } }, scales || {}),
            series: [{}].concat(seriesList),
            axes: axes || [seconds, { label: '' }],
          };
          return new uPlot(opts, [t.second].concat(columns), document.getElementById(id));
        }
        try {
          const connectionSeries = [series('connected', 0, 'devices'), series('handshakes/s', 1, 'rate')];
          const connectionColumns = [t.connected, t.handshakes];
          if (t.warmUpConnects.some(v => v > 0)) { // the connect warm-up, against the generator's own server
            connectionSeries.push(Object.assign(series('warm-up connects/s (not measured)', 5, 'rate'), { dash: [1, 4] }));
            connectionColumns.push(t.warmUpConnects);
          }
          plot('plot-connections', 'Connections and handshakes per second',
            connectionColumns, connectionSeries,
            [seconds, { scale: 'devices', label: 'connected devices' },
             { scale: 'rate', side: 1, label: 'handshakes/s', grid: { show: false } }]);
          // dashed, so that equal rates (nothing lost) still show every line; received only where a subscriber counted
          const messageSeries = [series('sent/s', 0), Object.assign(series('acknowledged/s', 2), { dash: [8, 6] })];
          const messageColumns = [t.sent, t.acknowledged];
          if (data.subscribed) {
            messageSeries.push(Object.assign(series('received/s', 3), { dash: [2, 6], width: 3 }));
            messageColumns.push(t.received);
          }
          if (t.warmUp.some(v => v > 0)) { // a warmup phase ran: its messages are in no other line or figure
            messageSeries.push(Object.assign(series('warm-up/s (not measured)', 5), { dash: [1, 4] }));
            messageColumns.push(t.warmUp);
          }
          plot('plot-messages', 'Messages per second', messageColumns, messageSeries, [seconds, { label: 'messages/s' }]);
          plot('plot-latency', 'Publish latency and generator lag (ms)',
            [t.p50, t.p99, t.lagP99],
            [series('publish p50', 0), series('publish p99', 1), series('lag p99', 4)],
            [seconds, { label: 'ms' }]);
          const classes = Object.keys(t.errors);
          plot('plot-errors', 'Errors by class',
            classes.length ? classes.map(c => t.errors[c]) : [t.second.map(() => 0)],
            classes.length ? classes.map((c, i) => series(c, i + 1)) : [series('errors', 1)],
            [seconds, { label: 'errors in the second' }]);
          plot('plot-generator', "Generator's CPU (% of its cores; merged shards: the busiest)",
            [t.generatorCpu], [series('generator CPU %', 6)],
            [seconds, { label: '% of cores' }], { y: { range: [0, 100] } });
          const holder = document.getElementById('distributions');
          const percent = v => { const p = 100 * (1 - 1 / v); return (Math.round(p * 1000) / 1000) + '%'; };
          // label the decades only: 0%, 90%, 99%, 99.9% ...; uPlot's log axis also splits within them
          const decade = v => { const l = Math.log10(v); return v >= 1 && Math.abs(l - Math.round(l)) < 1e-9 ? percent(v) : ''; };
          data.distributions.forEach(d => {
            const div = document.createElement('div');
            div.className = 'plot';
            div.id = 'plot-distribution-' + d.metric;
            holder.appendChild(div);
            new uPlot({
              title: d.metric + ' latency by percentile (ms)', width: width(), height: 300, legend: { live: false },
              scales: { x: { time: false, distr: 3, log: 10 } },
              series: [{ label: 'percentile' }]
                .concat(d.series.map((s, i) => series(s.protocol, i))),
              axes: [{ label: 'percentile', values: (u, splits) => splits.map(decade) }, { label: 'ms' }],
            }, [d.x].concat(d.series.map(s => s.ms)), div);
          });
          requestAnimationFrame(() => document.body.setAttribute('data-rendered', 'true'));
        } catch (e) {
          document.body.setAttribute('data-rendered', 'error: ' + e);
          throw e;
        }
      })();
      """;
}
