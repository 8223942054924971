package io.thingstorm.loadgen.metrics;

import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;

/** What a {@link RunRecorder} measured over a whole run, handed to the report. */
public record Measurements(
    Instant start,
    Instant end,
    List<Latency> latencies,
    List<ProtocolCounts> counts,
    long reconnects,
    long connectedMax,
    List<TimelinePoint> timeline,
    GeneratorUse generator) {

  public Measurements {
    latencies = List.copyOf(latencies);
    counts = List.copyOf(counts);
    timeline = List.copyOf(timeline);
  }

  /** All the values of one metric over one protocol, in microseconds. */
  public record Latency(Metric metric, String protocol, Histogram histogram) {}
}
