package io.thingstorm.benchmarks;

import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.loadgen.scenario.PayloadTemplate;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the load generator pays to render one message of the default template (a temperature with
 * its time, and a counter): the template rendered whole (records built, the pack checked, then
 * encoded by Jackson) against the template bound to the device's thing and channel, which fills
 * the three numbers into a pack encoded once ({@code SenmlStencil}). The generator renders every
 * message on its one schedule thread, so this cost caps the rate it can ask for.
 *
 * <p>Reading the figure: nanoseconds per message on one thread; whole / bound is the saving.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MessageRenderBenchmark {
  @Param({"JSON", "CBOR"})
  public String format;

  private PayloadTemplate template;
  private PayloadTemplate.Bound bound;
  private final SplittableRandom random = new SplittableRandom(1);
  private final long millis = Instant.parse("2026-12-06T00:00:00.123Z").toEpochMilli();
  private long counter;

  @Setup
  public void setUp() {
    template = PayloadTemplate.compile(PayloadTemplate.DEFAULT_RECORDS, SenmlFormat.valueOf(format), 0);
    bound = template.bind("thing-7", "channel-1");
    byte[] whole = template.render("thing-7", "channel-1", 5, Instant.ofEpochMilli(millis), new SplittableRandom(3));
    if (!Arrays.equals(whole, bound.render(5, millis, new SplittableRandom(3)))) {
      throw new IllegalStateException("the bound template renders other bytes than the template");
    }
  }

  @Benchmark
  public byte[] whole() {
    return template.render("thing-7", "channel-1", counter++, Instant.ofEpochMilli(millis + counter), random);
  }

  @Benchmark
  public byte[] bound() {
    return bound.render(counter++, millis + counter, random);
  }
}
