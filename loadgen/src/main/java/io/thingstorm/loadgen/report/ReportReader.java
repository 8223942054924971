package io.thingstorm.loadgen.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.thingstorm.loadgen.metrics.HlogFiles;
import io.thingstorm.loadgen.metrics.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/** Reads a report folder back: report.json, and the interval logs beside it. */
public final class ReportReader {
  private ReportReader() {}

  /** @throws ReportException when the folder or its report.json is missing or is no thingstorm report */
  public static RunReport read(Path dir) {
    if (!Files.exists(dir)) throw new ReportException("no such folder: " + dir);
    if (!Files.isDirectory(dir)) throw new ReportException(dir + " is not a folder");
    Path json = dir.resolve(ReportWriter.JSON);
    if (!Files.isRegularFile(json)) throw new ReportException(dir + " holds no " + ReportWriter.JSON);
    try {
      return ReportJson.read(Files.readString(json, UTF_8), json.toString());
    } catch (IOException e) {
      throw new ReportException("cannot read " + json + ": " + e.getMessage(), e);
    }
  }

  /**
   * The interval histograms of one metric's log, in order, each tagged with its protocol and stamped
   * with absolute start and end times in epoch milliseconds; none if the run did not log the metric.
   */
  public static List<Histogram> intervals(Path dir, Metric metric) {
    Path file = dir.resolve(HlogFiles.fileName(metric));
    List<Histogram> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) return out;
    try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
      EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        if (h instanceof Histogram histogram) out.add(histogram);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ReportException(file + " is not an HdrHistogram log (" + e.getMessage() + ")", e);
    }
    return out;
  }
}
