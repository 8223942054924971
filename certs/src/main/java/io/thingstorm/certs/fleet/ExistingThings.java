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
  /** Keys deeper than this cannot be Mainflux's provisioning output, which nests two levels. */
  static final int MAX_KEY_PARTS = 32;

  private static final TomlMapper TOML = new TomlMapper();

  private ExistingThings() {}

  public static List<Thing> read(Path file) {
    String text = Pem.read(file); // the same missing-file and size checks as every input
    String name = file.getFileName().toString().toLowerCase();
    return name.endsWith(".toml") || text.contains("[[things]]") ? fromToml(text, file.toString()) : fromCsv(text, file.toString());
  }

  static List<Thing> fromToml(String text, String source) {
    checkKeyDepth(text, source);
    JsonNode root;
    try {
      root = TOML.readTree(text);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CertsException(source + ": not valid TOML (" + message.lines().findFirst().orElse("") + ")");
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
        try {
          things.add(new Thing(row[0], row[1], row.length > 2 && !row[2].isBlank() ? row[2] : null));
        } catch (CertsException e) {
          throw new CertsException(source + " line " + line + ": " + e.getMessage());
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CertsException c) throw c;
      throw new CertsException(source + " line " + line + ": not CSV (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
    if (things.isEmpty()) throw new CertsException(source + " lists no things");
    return things;
  }

  /**
   * Refuses a dotted key of more than {@link #MAX_KEY_PARTS} parts ({@code a.b.c = 1}, also as a
   * table header) before Jackson's TOML parser sees it: that parser applies no nesting limit to
   * dotted keys and spent about 600 bytes per part, 437 MB on a 1 MB key. Counts the dots of each run
   * of key characters outside strings and comments; commas, brackets, "=" and line ends end a run.
   */
  static void checkKeyDepth(String text, String source) {
    int dots = 0;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'') {
        boolean triple = text.startsWith(String.valueOf(c).repeat(3), i);
        String end = triple ? String.valueOf(c).repeat(3) : String.valueOf(c);
        int j = i + end.length();
        while (j < text.length() && !text.startsWith(end, j)) {
          if (text.charAt(j) == '\n') {
            if (!triple) break; // an unclosed string: the parser will say so
            line++;
          }
          j += c == '"' && text.charAt(j) == '\\' ? 2 : 1;
        }
        i = j < text.length() && text.startsWith(end, j) ? j + end.length() - 1 : j - 1;
      } else if (c == '#') {
        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') i++;
      } else if (c == '.') {
        if (++dots >= MAX_KEY_PARTS) {
          throw new CertsException(source + " line " + line + ": a key of more than " + MAX_KEY_PARTS
              + " dotted parts; this is not the provisioning tool's output");
        }
      } else if (c == '\n') {
        dots = 0;
        line++;
      } else if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ' ' || c == '\t')) {
        dots = 0;
      }
    }
  }
}
