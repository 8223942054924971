package io.thingstorm.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.client.senml.SenmlCbor;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.client.senml.SenmlPack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SenmlCommandTest {
  /** RFC 8428 section 5.1.7: a record of base fields, then three settings. */
  private static final String ACTUATOR = """
      [
        {"bn":"urn:dev:ow:10e2073a01080063:"},
        {"n":"temp","u":"Cel","v":23.1},
        {"n":"heat","u":"/","v":1},
        {"n":"fan","u":"/","v":0}
      ]
      """;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private byte[] stdin = new byte[0];

  @Test
  void validatePrintsTheRecordCount() throws IOException {
    int exit = run("senml", "validate", file("actuator.json", ACTUATOR).toString());

    assertThat(exit).isZero();
    assertThat(out).hasToString("OK: 4 records\n");
    assertThat(err).hasToString("");
  }

  @Test
  void validateReadsCborToo() throws IOException {
    Path cbor = Files.write(dir.resolve("actuator.cbor"), SenmlCbor.encode(SenmlJson.decode(ACTUATOR.getBytes(UTF_8))));

    assertThat(run("senml", "validate", cbor.toString())).isZero();
    assertThat(out).hasToString("OK: 4 records\n");
  }

  @Test
  void validateReadsStandardInputForADashOrNoFile() {
    stdin = "[{\"n\":\"urn:dev:ow:10e2073a01080063\",\"u\":\"Cel\",\"v\":23.1}]".getBytes(UTF_8);
    assertThat(run("senml", "validate", "-")).isZero();
    assertThat(run("senml", "validate")).isZero();

    assertThat(out).hasToString("OK: 1 record\nOK: 1 record\n");
  }

  @Test
  void validateNamesTheProblemInOneLineAndFails() throws IOException {
    Path bad = file("bad.json", "[{\"bn\":\"a:\",\"v\":1},{\"n\":\"b\",\"v\":2},{\"n\":\"x y\",\"v\":3}]");

    int exit = run("senml", "validate", bad.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out).hasToString("");
    assertThat(err).hasToString("thingstorm: record 2: name \"a:x y\" has a character not allowed (' ')\n");
  }

  @Test
  void refusesWhatIsNoSenml() throws IOException {
    assertThat(run("senml", "validate", file("plain.json", "{\"temp\":23.1}").toString())).isEqualTo(1);
    assertThat(err).hasToString(
        "thingstorm: not SenML: JSON starts with '[', CBOR with an array (0x80-0x9f), this with 0x7b ('{')\n");
  }

  @Test
  void aMissingFileIsOneLine() {
    Path missing = dir.resolve("missing.json");

    assertThat(run("senml", "validate", missing.toString())).isEqualTo(1);
    assertThat(err).hasToString("thingstorm: no such file: " + missing + "\n");
  }

  @Test
  void resolvePrintsReadingsOnePerLine() throws IOException {
    Path pack = file("pack.json", """
        [{"bn":"urn:dev:ow:10e2073a01080063:","bt":1.320078429e9,"bu":"A","n":"current","v":1.2},
         {"n":"voltage","u":"V","t":-60,"v":120.1},
         {"n":"label","vs":"Machine Room"}]
        """);

    assertThat(run("senml", "resolve", pack.toString())).isZero();
    assertThat(out).hasToString("""
        [
        {"n":"urn:dev:ow:10e2073a01080063:voltage","u":"V","t":1320078369,"v":120.1},
        {"n":"urn:dev:ow:10e2073a01080063:current","u":"A","t":1320078429,"v":1.2},
        {"n":"urn:dev:ow:10e2073a01080063:label","u":"A","t":1320078429,"vs":"Machine Room"}
        ]
        """);
  }

  @Test
  void resolveCountsRelativeTimesFromNow() throws IOException {
    Path pack = file("relative.json", "[{\"n\":\"x\",\"t\":-5,\"v\":1},{\"n\":\"y\",\"v\":2}]");

    assertThat(run("senml", "resolve", "--now", "2025-01-02T03:04:05Z", pack.toString())).isZero();
    assertThat(run("senml", "resolve", "--now", "1735787045.5", pack.toString())).isZero();

    assertThat(out).hasToString("""
        [
        {"n":"x","t":1735787040,"v":1},
        {"n":"y","t":1735787045,"v":2}
        ]
        [
        {"n":"x","t":1735787040.5,"v":1},
        {"n":"y","t":1735787045.5,"v":2}
        ]
        """);
  }

  @Test
  void convertsJsonToCborOnStandardOutputAndBack() throws IOException {
    Path json = file("actuator.json", ACTUATOR);

    assertThat(run("senml", "convert", "--to", "cbor", json.toString())).isZero();
    byte[] cbor = stdout.toByteArray();
    assertThat(SenmlCbor.decode(cbor)).isEqualTo(SenmlJson.decode(ACTUATOR.getBytes(UTF_8)));
    assertThat(out).hasToString("");

    stdin = cbor;
    assertThat(run("senml", "convert", "--to", "JSON")).isZero();
    assertThat(out).hasToString("""
        [
        {"bn":"urn:dev:ow:10e2073a01080063:"},
        {"n":"temp","u":"Cel","v":23.1},
        {"n":"heat","u":"/","v":1},
        {"n":"fan","u":"/","v":0}
        ]
        """);
  }

  @Test
  void convertWritesToAFileWithOut() throws IOException {
    Path json = file("actuator.json", ACTUATOR);
    Path cbor = dir.resolve("actuator.cbor");

    assertThat(run("senml", "convert", "--to", "cbor", "--out", cbor.toString(), json.toString())).isZero();

    SenmlPack expected = SenmlJson.decode(ACTUATOR.getBytes(UTF_8));
    assertThat(SenmlCbor.decode(Files.readAllBytes(cbor))).isEqualTo(expected);
    assertThat(stdout.size()).isZero();
  }

  @Test
  void anUnknownFormatIsAUsageError() throws IOException {
    int exit = run("senml", "convert", "--to", "xml", file("actuator.json", ACTUATOR).toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("thingstorm: Invalid value for option '--to': expected json or cbor, not 'xml' (see 'thingstorm senml convert --help')\n");
  }

  @Test
  void aNowOutOfTimesRangeIsAUsageErrorInWords() throws IOException {
    int exit = run("senml", "resolve", "--now", "99999999999999999", file("actuator.json", ACTUATOR).toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("thingstorm: Invalid value for option '--now': '99999999999999999' is out of range: "
        + "a time lies between years -1000000000 and 1000000000 (see 'thingstorm senml resolve --help')\n");
  }

  @Test
  void everySubcommandHasHelpAndVersion() {
    assertThat(run("senml", "--help")).isZero();
    assertThat(out.toString()).contains("validate", "resolve", "convert");
    for (String sub : new String[] {"validate", "resolve", "convert"}) {
      assertThat(run("senml", sub, "--help")).as(sub + " --help").isZero();
      assertThat(run("senml", sub, "--version")).as(sub + " --version").isZero();
    }
    assertThat(out.toString()).contains("Usage: thingstorm senml convert", "thingstorm ");
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private int run(String... args) {
    CommandLine cl = ThingstormCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    SenmlCommand senml = cl.getSubcommands().get("senml").getCommand();
    senml.stdin = new ByteArrayInputStream(stdin);
    senml.stdout = stdout;
    return cl.execute(args);
  }
}
