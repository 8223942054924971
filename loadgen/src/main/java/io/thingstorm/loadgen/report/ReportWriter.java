package io.thingstorm.loadgen.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.thingstorm.certs.pem.OutputFiles;
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

  /**
   * Makes {@code dir} for a new report, or takes it as it is when it holds none, and checks that
   * files can be written in it, before anything is measured. A folder that holds a report already is
   * refused: a run never replaces what an earlier one wrote.
   */
  public static void requireNewFolder(Path dir) {
    requireNoReport(dir);
    requireWritableFolder(dir);
  }

  /** Refuses a folder that holds a report already, without making anything. */
  public static void requireNoReport(Path dir) {
    if (Files.exists(dir.resolve(JSON))) {
      throw new FolderTaken(dir + " holds a report already (" + JSON + "): name a new folder, reports are never replaced");
    }
  }

  /** A report folder named for a new report holds one already: the caller chose the folder, so it is theirs to change. */
  public static final class FolderTaken extends IllegalArgumentException {
    FolderTaken(String message) {
      super(message);
    }
  }

  /** Makes {@code dir} if need be and checks that a file can be written in it, before the figures exist. */
  public static void requireWritableFolder(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
    } catch (IOException e) {
      throw new FolderUnwritable("cannot write the report to " + dir + ": " + OutputFiles.reason(e), e);
    }
  }

  /**
   * A report folder that cannot be made or written in (a file in the way, {@code /proc}, no
   * permission): found before anything is measured, so it is the caller's choice of folder at fault.
   */
  public static final class FolderUnwritable extends UncheckedIOException {
    FolderUnwritable(String message, IOException cause) {
      super(message, cause);
    }
  }

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
