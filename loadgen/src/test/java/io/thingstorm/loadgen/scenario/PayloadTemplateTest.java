package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.thingstorm.client.senml.ResolvedRecord;
import io.thingstorm.client.senml.SenmlException;
import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.senml.SenmlRecord;
import io.thingstorm.client.senml.SenmlValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadTemplateTest {
  private static final Instant NOW = Instant.parse("2026-11-25T07:00:00.123Z");
  private static final List<Map<String, Object>> QUICKSTART = List.of(
      Map.of("bn", "${thing}:", "n", "temperature", "u", "Cel", "v", "${random(18.0, 26.0)}", "t", "${time}"),
      Map.of("n", "seq", "v", "${counter}"));
  /** Ids as a fleet's things and channels have them: UUIDs. */
  private static final String A_THING = "5f0c2a9e-8d4b-4c1e-9a7f-3b6d2e1f0a4c";
  private static final String A_CHANNEL = "b2e7d1c3-6a5f-4e8b-9c0d-1f2a3b4c5d6e";

  @Test
  void rendersTheQuickstartTemplateAsSenmlJson() {
    PayloadTemplate template = PayloadTemplate.compile(PayloadTemplate.DEFAULT_RECORDS, SenmlFormat.JSON, 0);
    byte[] json = template.render("thing-7", 42, NOW, new SplittableRandom(3));

    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).matches("\\[\\{\"bn\":\"thing-7:\",\"n\":\"temperature\",\"u\":\"Cel\",\"t\":1795590000\\.123,"
        + "\"v\":(1[89]|2[0-6])(\\.[0-9])?\\},\\{\"n\":\"seq\",\"v\":42\\}\\]");
    List<ResolvedRecord> readings = SenmlJson(json).resolve(NOW);
    assertThat(readings).hasSize(2);
    assertThat(readings.get(0).name()).isEqualTo("thing-7:temperature");
    assertThat(readings.get(1).name()).isEqualTo("thing-7:seq");
  }

  @Test
  void fieldsChangePerMessage() {
    PayloadTemplate template = PayloadTemplate.compile(QUICKSTART, SenmlFormat.JSON, 0);
    SplittableRandom random = new SplittableRandom(1);
    SenmlPack first = SenmlJson(template.render("a", 1, NOW, random));
    SenmlPack second = SenmlJson(template.render("b", 2, NOW.plusMillis(5), random));

    assertThat(first.records().get(0).baseName()).isEqualTo("a:");
    assertThat(second.records().get(0).baseName()).isEqualTo("b:");
    assertThat(first.records().get(0).time()).isEqualTo(1795590000.123);
    assertThat(second.records().get(0).time()).isEqualTo(1795590000.128);
    assertThat(first.records().get(1).value()).isEqualTo(SenmlValue.of(1));
    assertThat(second.records().get(1).value()).isEqualTo(SenmlValue.of(2));
  }

  @Test
  void randomValuesStayInRangeWithTheDecimalsOfTheBounds() {
    PayloadTemplate template = PayloadTemplate.compile(List.of(Map.of("n", "x", "v", "${random(18.0, 26.0)}")), SenmlFormat.JSON, 0);
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 1000; i++) {
      double v = ((SenmlValue.Number) SenmlJson(template.render("t", i, NOW, random)).records().get(0).value()).value();
      assertThat(v).isBetween(18.0, 26.0);
      assertThat(Math.round(v * 10) / 10.0).isEqualTo(v);
    }
    PayloadTemplate whole = PayloadTemplate.compile(List.of(Map.of("n", "x", "v", "${random(0, 100)}")), SenmlFormat.JSON, 0);
    double v = ((SenmlValue.Number) SenmlJson(whole.render("t", 0, NOW, random)).records().get(0).value()).value();
    assertThat(v).isEqualTo(Math.rint(v));
  }

  @Test
  void placeholdersInTextAreInterpolated() {
    PayloadTemplate template = PayloadTemplate.compile(List.of(
        Map.of("bn", "urn:dev:${thing}:", "n", "status", "vs", "${channel}/${counter} at ${time}")), SenmlFormat.JSON, 0);
    SenmlRecord record = SenmlJson(template.render("t1", "ch-9", 17, NOW, new SplittableRandom(1))).records().get(0);
    assertThat(record.baseName()).isEqualTo("urn:dev:t1:");
    assertThat(record.value()).isEqualTo(SenmlValue.of("ch-9/17 at 1795590000.123"));
  }

  @Test
  void cborCarriesTheSameRecords() {
    PayloadTemplate json = PayloadTemplate.compile(QUICKSTART, SenmlFormat.JSON, 0);
    PayloadTemplate cbor = PayloadTemplate.compile(QUICKSTART, SenmlFormat.CBOR, 0);
    byte[] bytes = cbor.render("thing-1", 5, NOW, new SplittableRandom(4));
    assertThat(SenmlFormat.detect(bytes)).isEqualTo(SenmlFormat.CBOR);
    assertThat(SenmlFormat.CBOR.decode(bytes)).isEqualTo(SenmlJson(json.render("thing-1", 5, NOW, new SplittableRandom(4))));
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void paddingMakesEveryMessageExactlyTheSize(SenmlFormat format) {
    // Around CBOR's text-length boundaries (23/24, 255/256, 65535/65536 bytes) as well.
    int largest = PayloadTemplate.compile(QUICKSTART, format, 0).render(A_THING, 987654321, NOW, new SplittableRandom(4)).length;
    List<Integer> sizes = new java.util.ArrayList<>(List.of(300, 301, 302, 1024, 65_600, 65_601, 65_602, 100_000));
    for (int extra = 25; extra < 70; extra++) sizes.add(largest + extra);
    for (int size : sizes) {
      PayloadTemplate template = PayloadTemplate.compile(QUICKSTART, format, size);
      for (long counter : new long[] {0, 9, 12345, 987654321}) {
        byte[] message = template.render(A_THING, counter, NOW, new SplittableRandom(counter));
        assertThat(message).as("size %d, counter %d", size, counter).hasSize(size);
        SenmlPack pack = format.decode(message);
        assertThat(pack.records()).hasSize(3);
        assertThat(pack.records().get(2).name()).isEqualTo(PayloadTemplate.PAD_NAME);
        assertThat(pack.records().get(1).value()).isEqualTo(SenmlValue.of(counter));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void theSmallestSizeAcceptedIsExactToo(SenmlFormat format) {
    // The refusal of a size too small names the least size to give: that one and the next few must be
    // exact for a fleet's things and channels, whose ids are UUIDs.
    String thing = A_THING;
    String channel = A_CHANNEL;
    String refusal = catchThrowable(() -> PayloadTemplate.compile(QUICKSTART, format, 10)).getMessage();
    java.util.regex.Matcher least = java.util.regex.Pattern.compile("give at least (\\d+)").matcher(refusal);
    assertThat(least.find()).as(refusal).isTrue();
    int minimum = Integer.parseInt(least.group(1));
    for (int size = minimum; size <= minimum + 3; size++) {
      PayloadTemplate template = PayloadTemplate.compile(QUICKSTART, format, size);
      for (long counter : new long[] {0, 9, 12345, 987654321}) {
        byte[] message = template.render(thing, channel, counter, NOW, new SplittableRandom(counter));
        assertThat(message).as("size %d, counter %d", size, counter).hasSize(size);
        assertThat(format.decode(message).records().get(2).name()).isEqualTo(PayloadTemplate.PAD_NAME);
        byte[] bound = template.bind(thing, channel).render(counter, NOW.toEpochMilli(), new SplittableRandom(counter));
        assertThat(bound).as("bound, size %d, counter %d", size, counter).hasSize(size);
      }
    }
  }

  @Test
  void aSizeTooSmallForTheMessageIsRefusedAtCompileTime() {
    assertThatThrownBy(() -> PayloadTemplate.compile(QUICKSTART, SenmlFormat.JSON, 40))
        .isInstanceOfSatisfying(PayloadTemplate.TemplateException.class, e -> assertThat(e.field()).isEqualTo("size"))
        .hasMessageContaining("more than 40");
  }

  @Test
  void invalidTemplatesNameTheirField() {
    assertThatThrownBy(() -> PayloadTemplate.compile(List.of(Map.of("n", "x", "v", "${temperature}")), SenmlFormat.JSON, 0))
        .isInstanceOfSatisfying(PayloadTemplate.TemplateException.class, e -> assertThat(e.field()).isEqualTo("records[0].v"))
        .hasMessage("unknown placeholder ${temperature} (known: ${thing}, ${channel}, ${counter}, ${time}, ${random(a, b)})");
    assertThatThrownBy(() -> PayloadTemplate.compile(List.of(Map.of("n", "x", "v", 1, "vs", "a")), SenmlFormat.JSON, 0))
        .hasMessageContaining("a record has one value");
    assertThatThrownBy(() -> PayloadTemplate.compile(List.of(Map.of("n", "x")), SenmlFormat.JSON, 0))
        .isInstanceOfSatisfying(PayloadTemplate.TemplateException.class, e -> assertThat(e.field()).isEqualTo("records[0]"))
        .hasMessage("not valid SenML: has no value and no sum (one of v, vs, vb, vd, or s)");
  }

  @Test
  void literalValuesOfEveryKind() {
    PayloadTemplate template = PayloadTemplate.compile(List.of(
        Map.of("bn", "dev:", "bver", 10, "n", "on", "vb", true, "ut", 60),
        Map.of("n", "blob", "vd", "AQID"),
        Map.of("n", "level", "v", "3.5", "s", 12)), SenmlFormat.JSON, 0);
    SenmlPack pack = SenmlJson(template.render("t", 0, NOW, new SplittableRandom(1)));
    assertThat(pack.records().get(0).value()).isEqualTo(SenmlValue.of(true));
    assertThat(pack.records().get(1).value()).isEqualTo(SenmlValue.of(new byte[] {1, 2, 3}));
    assertThat(pack.records().get(2).value()).isEqualTo(SenmlValue.of(3.5));
  }

  /** Templates a bound render encodes from a stencil, and one whose text changes per message (rendered whole). */
  private static final List<List<Map<String, Object>>> BOUND_TEMPLATES = List.of(
      PayloadTemplate.DEFAULT_RECORDS,
      List.of(Map.of("bn", "${channel}/${thing}:", "bt", "${time}", "bver", 10, "n", "on", "vb", true, "ut", "${counter}"),
          Map.of("n", "level", "v", "${random(-5, 5000)}", "s", "${random(0.001, 0.002)}", "t", "${random(-1.5, 0)}"),
          Map.of("n", "blob", "vd", "AQID", "t", 2)),
      List.of(Map.of("n", "${thing}", "vs", "reading ${counter} at ${time}", "t", "${time}")));

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void aBoundTemplateRendersTheSameBytesAsTheTemplate(SenmlFormat format) {
    for (List<Map<String, Object>> records : BOUND_TEMPLATES) {
      for (int size : new int[] {0, 400}) {
        PayloadTemplate template = PayloadTemplate.compile(records, format, size);
        PayloadTemplate.Bound bound = template.bind("thing-7", "chan-2");
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (long counter = 0; counter < 3_000; counter++) {
          long millis = NOW.toEpochMilli() + counter * 37;
          assertThat(bound.render(counter * counter * counter, millis, a))
              .as("%s, size %d, counter %d", records, size, counter)
              .isEqualTo(template.render("thing-7", "chan-2", counter * counter * counter, Instant.ofEpochMilli(millis), b));
        }
      }
    }
  }

  @Test
  void aThingWhoseNameMakesInvalidSenmlFailsEachRenderOfItsBoundTemplate() {
    PayloadTemplate.Bound bound = PayloadTemplate.compile(QUICKSTART, SenmlFormat.JSON, 0).bind("thing seven", "c");

    assertThatThrownBy(() -> bound.render(1, NOW.toEpochMilli(), new SplittableRandom(1)))
        .isInstanceOf(SenmlException.class).hasMessageContaining("not allowed (' ')");
    assertThatThrownBy(() -> bound.render(2, NOW.toEpochMilli(), new SplittableRandom(1))).isInstanceOf(SenmlException.class);
  }

  /** A subscriber tells its own run's messages by the thing the first bn names, between the template's fixed text. */
  @Test
  void theFirstBaseNameTellsTheSender() {
    PayloadTemplate standard = PayloadTemplate.compile(PayloadTemplate.DEFAULT_RECORDS, SenmlFormat.JSON, 0); // bn ${thing}:
    assertThat(standard.namesSender()).isTrue();
    assertThat(standard.senderOf("3f2a-thing:")).contains("3f2a-thing");
    assertThat(standard.senderOf("some-base-name")).isEmpty(); // not of the template's form
    assertThat(standard.senderOf(null)).isEmpty();

    PayloadTemplate urn = PayloadTemplate.compile(List.of(Map.of("bn", "urn:dev:${ thing }/", "n", "t", "v", 1)), SenmlFormat.JSON, 0);
    assertThat(urn.senderOf("urn:dev:pump-7/")).contains("pump-7");

    // No thing in the bn, or more than fixed text around it: no sender to tell, every message counts.
    assertThat(PayloadTemplate.compile(List.of(Map.of("bn", "sensor:", "n", "t", "v", 1)), SenmlFormat.JSON, 0).namesSender()).isFalse();
    assertThat(PayloadTemplate.compile(List.of(Map.of("bn", "${thing}-${counter}:", "n", "t", "v", 1)), SenmlFormat.JSON, 0)
        .namesSender()).isFalse();
  }

  private static SenmlPack SenmlJson(byte[] json) {
    return SenmlFormat.JSON.decode(json);
  }
}
