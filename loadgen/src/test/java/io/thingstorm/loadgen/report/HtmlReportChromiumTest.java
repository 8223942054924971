package io.thingstorm.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html as a person sees it: opened in a real headless Chromium, with no network. */
class HtmlReportChromiumTest {
  @TempDir static Path dir;
  static RunReport report;
  static Path html;

  @BeforeAll
  static void writeAReport() throws Exception {
    report = SyntheticRun.record(dir, 7, Shard.WHOLE).report.withVerdicts(List.of(
        new Verdict("p99 publish latency < 250 ms", true, 41.5),
        new Verdict("errors < 0.1 %", false, 0.778)));
    ReportWriter.write(report, dir);
    html = dir.resolve("report.html");
  }

  @Test
  void isOneFileThatNeedsNoNetwork() throws Exception {
    String page = Files.readString(html);
    assertThat(page).doesNotContainPattern("(?i)<(script|link)[^>]+(src|href)=");
    assertThat(page).contains("uPlot");
    // the scenario's own "</script>" is escaped, not closing the page's script early
    assertThat(page).contains("&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;");
    assertThat(Pattern.compile("(?i)</script>").matcher(page).results().count()).isEqualTo(3);
  }

  @Test
  void chromiumDrawsEveryPlotAndTheVerdicts() {
    String dom = chromium("--dump-dom", html.toUri().toString());

    assertThat(dom).contains("data-rendered=\"true\"");
    // connections, messages, latency, errors, generator CPU over time; publish, connect, handshake distributions
    assertThat(HtmlReport.plotCount(report)).isEqualTo(8);
    assertThat(count(dom, "<div class=\"uplot")).isEqualTo(8);
    assertThat(count(dom, "<canvas")).isEqualTo(8);
    assertThat(dom).contains("Connections and handshakes per second", "Messages per second",
        "Publish latency and generator lag (ms)", "Errors by class", "Generator's CPU (% of its cores",
        "publish latency by percentile (ms)");
    assertThat(dom).contains("generator: 1.00 ms CPU per connect, 10.0 µs per message");
    assertThat(dom).containsPattern("<td>p99 publish latency &lt; 250 ms</td><td>PASS</td><td class=\"n\">41.5 ms</td>");
    assertThat(dom).containsPattern("<td>errors &lt; 0.1 %</td><td>FAIL</td><td class=\"n\">0.778 %</td>");
    // the legends name each protocol and error class
    assertThat(dom).contains("unknown_ca", "http_403", "mqtt3", "https", "warm-up/s (not measured)");
  }

  @Test
  void chromiumTakesAScreenshotAPersonCanRead() throws Exception {
    Path png = dir.resolve("report.png");
    chromium("--screenshot=" + png, "--window-size=1280,2400", html.toUri().toString());

    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000);
    byte[] head = Files.readAllBytes(png);
    assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    // THINGSTORM_KEEP=DIR keeps the page and its picture, for a person to look at
    String keep = System.getenv("THINGSTORM_KEEP");
    if (keep != null) {
      Files.createDirectories(Path.of(keep));
      Files.copy(png, Path.of(keep, "report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(html, Path.of(keep, "report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String chromium(String... args) {
    Path chromium = DebianTool.require("chromium", "chromium");
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("chromium-profile"), "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    ExternalCommand.Result result = ExternalCommand.run(command, new byte[0], Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.stdout();
  }

  private static long count(String text, String what) {
    return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
  }
}
