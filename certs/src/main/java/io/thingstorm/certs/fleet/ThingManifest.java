package io.thingstorm.certs.fleet;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.OutputFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code things.csv}: {@code thing_id,thing_key,channel_id,cert,key}, one row per thing, with the
 * file paths relative to the manifest's folder so that the folder can be moved as a whole.
 */
public final class ThingManifest {
  public static final String FILE_NAME = "things.csv";
  static final List<String> COLUMNS = List.of("thing_id", "thing_key", "channel_id", "cert", "key");

  private static final CsvMapper CSV = new CsvMapper();

  private ThingManifest() {}

  public static void write(Path manifest, List<ManifestEntry> entries, boolean force) {
    Path dir = manifest.toAbsolutePath().getParent();
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    COLUMNS.forEach(schema::addColumn);
    StringWriter out = new StringWriter();
    try (var writer = CSV.writer(schema.build()).writeValues(out)) {
      for (ManifestEntry e : entries) {
        writer.write(List.of(e.thing().thingId(), e.thing().thingKey(), e.thing().channelId() == null ? "" : e.thing().channelId(),
            relative(dir, e.cert()), relative(dir, e.key())));
      }
    } catch (IOException e) {
      throw new CertsException("cannot write " + manifest + ": " + e.getMessage(), e);
    }
    // The manifest holds thing keys: owner-only, like the private keys it points to.
    OutputFiles.writePrivate(manifest, out.toString(), force);
  }

  /** Reads a manifest; paths come back resolved against its folder. */
  public static List<ManifestEntry> read(Path manifest) {
    try (Reader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      return read(in, manifest);
    } catch (NoSuchFileException e) {
      throw new CertsException("no such file: " + manifest);
    } catch (IOException e) {
      throw new CertsException("cannot read " + manifest + ": " + firstLine(e), e);
    }
  }

  /** Reads the text of a manifest as if it were the file {@code manifest}. */
  static List<ManifestEntry> read(Reader text, Path manifest) {
    Path dir = manifest.toAbsolutePath().getParent();
    List<ManifestEntry> entries = new ArrayList<>();
    int line = 1;
    try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader())
        .with(CsvParser.Feature.TRIM_SPACES)
        .readValues(text)) {
      while (rows.hasNextValue()) {
        Map<String, String> row = rows.nextValue();
        line++;
        for (String column : COLUMNS) {
          if (row.containsKey(column)) continue;
          if (((CsvSchema) rows.getParserSchema()).column(column) == null) {
            throw new CertsException(manifest + ": no column '" + column + "' in its header (expected " + String.join(",", COLUMNS) + ")");
          }
          throw new CertsException(manifest + " line " + line + ": the row is short, it has no " + column + " (expected " + String.join(",", COLUMNS) + ")");
        }
        String channel = row.get("channel_id");
        Thing thing;
        try {
          thing = new Thing(row.get("thing_id"), row.get("thing_key"), channel == null || channel.isBlank() ? null : channel);
        } catch (CertsException e) {
          throw new CertsException(manifest + " line " + line + ": " + e.getMessage());
        }
        entries.add(new ManifestEntry(thing, dir.resolve(row.get("cert")), dir.resolve(row.get("key"))));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CertsException c) throw c;
      throw new CertsException(manifest + " line " + line + ": not a things.csv manifest (" + firstLine(e) + ")");
    }
    if (entries.isEmpty()) throw new CertsException(manifest + " lists no things");
    return entries;
  }

  private static String relative(Path dir, Path file) {
    Path absolute = file.toAbsolutePath();
    return absolute.startsWith(dir) ? dir.relativize(absolute).toString() : absolute.toString();
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse("");
  }

  static boolean exists(Path manifest) {
    return Files.exists(manifest);
  }
}
