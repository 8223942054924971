package io.thingstorm.loadgen.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a report folder: summary.txt, report.json and report.html. The {@code <metric>.hlog}
 * interval logs are already there: the {@link io.thingstorm.loadgen.metrics.RunRecorder} writes them
 * as the run goes.
 */
public final class ReportWriter {
  public static final String SUMMARY = "summary.txt";
  public static final String JSON = "report.json";
  public static final String HTML = "report.html";

  private ReportWriter() {}

  public static void write(RunReport report, Path dir) {
    try {
      Files.createDirectories(dir);
      // report.json first: it is what a later 'thingstorm report DIR' re-renders the rest from.
      Files.writeString(dir.resolve(JSON), ReportJson.write(report), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
    render(report, dir);
  }

  /** Writes summary.txt and report.html only: what {@code thingstorm report DIR} renders again from report.json. */
  public static void render(RunReport report, Path dir) {
    try {
      Files.writeString(dir.resolve(SUMMARY), TextSummary.render(report), UTF_8);
      Files.writeString(dir.resolve(HTML), HtmlReport.render(report), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
  }
}
