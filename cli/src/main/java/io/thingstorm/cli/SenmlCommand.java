package io.thingstorm.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.thingstorm.client.senml.ResolvedRecord;
import io.thingstorm.client.senml.SenmlCbor;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.client.senml.SenmlLimits;
import io.thingstorm.client.senml.SenmlPack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thingstorm senml}: checks, resolves and converts SenML packs (RFC 8428). */
@Command(
    name = "senml",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Check, resolve and convert SenML packs (RFC 8428). Input is JSON or CBOR, told apart by its first bytes.")
public final class SenmlCommand implements Runnable {
  private static final String INPUT = "SenML pack, JSON or CBOR; '-' or none reads standard input.";
  /** One byte past the limit is enough for the decoder to refuse the pack as too large. */
  private static final int MOST_BYTES_READ = SenmlLimits.DEFAULT.maxBytes() + 1;

  /** Standard input and output as bytes, for CBOR; tests put streams of their own here. */
  InputStream stdin = System.in;
  OutputStream stdout = System.out;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = "Check a pack against RFC 8428: prints OK and its record count, or the first problem (exit 1).")
  int validate(@Parameters(arity = "0..1", paramLabel = "FILE", description = INPUT) String file) {
    int records = read(file).records().size();
    out().println("OK: " + records + (records == 1 ? " record" : " records"));
    return 0;
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = {
        "Print the pack's readings resolved (RFC 8428 section 4.6): base fields applied, times absolute, "
            + "in time order; SenML JSON, one record per line."
      })
  int resolve(
      @Option(
              names = "--now",
              paramLabel = "TIME",
              converter = InstantConverter.class,
              description = "What relative times (below 2^28 s) count from: ISO-8601 or epoch seconds. Default: the clock.")
          Instant now,
      @Parameters(arity = "0..1", paramLabel = "FILE", description = INPUT) String file) {
    List<ResolvedRecord> readings = read(file).resolve(now != null ? now : Instant.now());
    if (readings.isEmpty()) {
      out().println("[]"); // a pack of base fields only has no readings, and SenML has no empty pack
    } else {
      SenmlPack resolved = new SenmlPack(readings.stream().map(ResolvedRecord::toRecord).toList());
      out().println(new String(SenmlJson.encodeOneRecordPerLine(resolved), UTF_8));
    }
    return 0;
  }

  @Command(
      name = "convert",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = "Convert a pack to SenML JSON (one record per line) or CBOR (raw bytes).")
  int convert(
      @Option(
              names = "--to",
              required = true,
              paramLabel = "FORMAT",
              converter = FormatConverter.class,
              description = "json or cbor")
          SenmlFormat to,
      @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
          Path outFile,
      @Parameters(arity = "0..1", paramLabel = "FILE", description = INPUT) String file)
      throws IOException {
    SenmlPack pack = read(file);
    byte[] bytes = to == SenmlFormat.JSON
        ? (new String(SenmlJson.encodeOneRecordPerLine(pack), UTF_8) + "\n").getBytes(UTF_8)
        : SenmlCbor.encode(pack);
    if (outFile != null) {
      Files.write(outFile, bytes);
    } else if (to == SenmlFormat.JSON) {
      out().print(new String(bytes, UTF_8));
      out().flush();
    } else {
      stdout.write(bytes);
      stdout.flush();
    }
    return 0;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private SenmlPack read(String file) {
    byte[] bytes = file == null || file.equals("-") ? readStdin() : readFile(file);
    return SenmlFormat.detect(bytes).decode(bytes);
  }

  private byte[] readStdin() {
    try {
      return stdin.readNBytes(MOST_BYTES_READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }

  private static byte[] readFile(String file) {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return in.readNBytes(MOST_BYTES_READ);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such file: " + file, e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code json} or {@code cbor}, in any case. */
  static final class FormatConverter implements CommandLine.ITypeConverter<SenmlFormat> {
    @Override
    public SenmlFormat convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "json" -> SenmlFormat.JSON;
        case "cbor" -> SenmlFormat.CBOR;
        default -> throw new CommandLine.TypeConversionException("expected json or cbor, not '" + value + "'");
      };
    }
  }

  /** ISO-8601, like 2025-01-02T03:04:05Z, or seconds since the epoch, as SenML counts them. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        if (value.matches("-?\\d+(\\.\\d+)?")) {
          double seconds = Double.parseDouble(value);
          long whole = (long) Math.floor(seconds);
          return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
        }
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "expected an ISO-8601 time like 2025-01-02T03:04:05Z or epoch seconds, not '" + value + "'");
      } catch (DateTimeException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is out of range: a time lies between years -1000000000 and 1000000000");
      }
    }
  }
}
