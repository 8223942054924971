package io.thingstorm.benchmarks;

import io.thingstorm.client.senml.ResolvedRecord;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.senml.SenmlRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the payload costs a device: encoding and decoding a typical SenML pack (a base name, base
 * time and unit in the first record, then one measurement per record with a time offset) in JSON
 * (RFC 8428) and CBOR, and resolving it (base values applied, times made absolute: what a platform
 * does with every message).
 *
 * <p>Reading the figure: microseconds per pack on one thread. The secondary counter
 * {@code packBytes} is the encoded size of the pack in that format (bytes on the wire per message,
 * before TLS's 22-29 bytes of record overhead); the trial setup also prints it. CBOR / JSON is the
 * ratio to look at, for time and for size. {@code resolve} does not depend on the format.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SenmlCodecBenchmark {
  @Param({"1", "10", "100"})
  public int records;

  @Param({"JSON", "CBOR"})
  public String format;

  private SenmlFormat senmlFormat;
  private SenmlPack pack;
  private byte[] encoded;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** The encoded size, reported beside the time (the same value in every iteration). */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PackSize {
    public long packBytes;
  }

  @Setup(Level.Trial)
  public void setUp() {
    senmlFormat = SenmlFormat.valueOf(format);
    pack = typicalPack(records);
    encoded = senmlFormat.encode(pack);
    SenmlPack back = senmlFormat.decode(encoded);
    if (!back.equals(pack)) throw new IllegalStateException(format + " does not round-trip the pack");
    System.out.printf("%nSenML pack of %d records: %d bytes as %s%n", records, encoded.length, format);
  }

  static SenmlPack typicalPack(int records) {
    SenmlPack.Builder builder = SenmlPack.builder();
    builder.add(SenmlRecord.builder()
        .baseName("urn:dev:ow:10e2073a01080063:")
        .baseTime(1_767_225_600.0)
        .baseUnit("Cel")
        .name("temp")
        .value(21.5)
        .time(0));
    for (int i = 1; i < records; i++) {
      builder.add(SenmlRecord.builder().name(i % 2 == 0 ? "temp" : "humidity").value(20.0 + i * 0.25).time(-i));
    }
    return builder.build();
  }

  @Benchmark
  public byte[] encode(PackSize size) {
    byte[] bytes = senmlFormat.encode(pack);
    size.packBytes = bytes.length;
    return bytes;
  }

  @Benchmark
  public SenmlPack decode() {
    return senmlFormat.decode(encoded);
  }

  @Benchmark
  public List<ResolvedRecord> resolve() {
    return pack.resolve(now);
  }
}
