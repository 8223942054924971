package io.thingstorm.loadgen.metrics;

/** The names of the HdrHistogram interval logs in a report folder: one per metric. */
public final class HlogFiles {
  private HlogFiles() {}

  public static String fileName(Metric metric) {
    return metric.key() + ".hlog";
  }
}
