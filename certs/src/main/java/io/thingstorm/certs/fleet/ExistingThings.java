package io.thingstorm.certs.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Things that already exist on a platform, to issue certificates for: a CSV of {@code
 * thing_id,thing_key[,channel_id]} (a header is optional), or the TOML that Mainflux's provision
 * tool prints ({@code [[things]] thing_id, thing_key} and {@code [[channels]] channel_id}).
 */
public final class ExistingThings {
  private ExistingThings() {}

  public static List<Thing> read(Path file) {
    String text = Pem.read(file); // the same missing-file and size checks as every input
    String name = file.getFileName().toString().toLowerCase();
    return name.endsWith(".toml") || text.contains("[[things]]") ? fromToml(text, file.toString()) : fromCsv(text, file.toString());
  }

  static List<Thing> fromToml(String text, String source) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (IOException e) {
      throw new CertsException(source + ": not valid TOML (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    List<String> channels = new ArrayList<>();
    for (JsonNode channel : root.path("channels")) {
      String id = channel.path("channel_id").asText("");
      if (!id.isBlank()) channels.add(id);
    }
    List<Thing> things = new ArrayList<>();
    int index = 0;
    for (JsonNode thing : root.path("things")) {
      String id = thing.path("thing_id").asText("");
      String key = thing.path("thing_key").asText("");
      if (id.isBlank() || key.isBlank()) throw new CertsException(source + ": [[things]] entry " + (index + 1) + " lacks thing_id or thing_key");
      things.add(new Thing(id, key, channels.isEmpty() ? null : channels.get(index % channels.size())));
      index++;
    }
    if (things.isEmpty()) throw new CertsException(source + ": no [[things]] entries");
    return things;
  }

  static List<Thing> fromCsv(String text, String source) {
    List<Thing> things = new ArrayList<>();
    CsvMapper csv = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES)
        .enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    int line = 0;
    try (var rows = csv.readerFor(String[].class).with(CsvSchema.emptySchema()).<String[]>readValues(text)) {
      while (rows.hasNextValue()) {
        String[] row = rows.nextValue();
        line++;
        if (row.length == 0 || row.length == 1 && row[0].isBlank()) continue;
        if (line == 1 && row[0].equalsIgnoreCase("thing_id")) continue;
        if (row.length < 2) throw new CertsException(source + " line " + line + ": expected thing_id,thing_key[,channel_id]");
        things.add(new Thing(row[0], row[1], row.length > 2 && !row[2].isBlank() ? row[2] : null));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CertsException c) throw c;
      throw new CertsException(source + " line " + line + ": not CSV (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
    if (things.isEmpty()) throw new CertsException(source + " lists no things");
    return things;
  }
}
