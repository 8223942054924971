package io.thingstorm.client.senml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SenmlStencilTest {
  private static final List<SenmlStencil.Slot> READING_TIME_COUNTER = List.of(
      new SenmlStencil.Slot(0, "v"), new SenmlStencil.Slot(0, "t"), new SenmlStencil.Slot(1, "v"));

  /** Whole numbers where CBOR's integer heads and JSON's digits change length, and doubles of every size. */
  private static final double[] EDGES = {0, 1, 23, 24, 255, 256, 65_535, 65_536, 0x7fff_ffff, 0x8000_0000L,
      0xffff_ffffL, 0x1_0000_0000L, -1, -24, -25, -256, -257, -0x1_0000_0000L, -0x1_0000_0001L, 0x1p53, -0x1p62,
      9.223372036854776E18, -0.0, 0.1, 21.4, -3.75, 1e-7, 1.5e-300, 123456789.125, 1795590000.123, 9.99e14, 1e20, -2.5e200};

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void fillingGivesTheBytesOfEncodingTheWholePack(SenmlFormat format) {
    SenmlStencil stencil = SenmlStencil.of(format, reading(21.4, 1795590000.123, 1), READING_TIME_COUNTER);
    SplittableRandom random = new SplittableRandom(7);

    for (double edge : EDGES) {
      assertSameBytes(format, stencil, edge, 1795590000.5, 42);
      assertSameBytes(format, stencil, 18.5, 1795590000.5, Math.abs(edge) < 1e15 ? edge : 3);
    }
    for (int i = 0; i < 20_000; i++) {
      double value = Math.round((18 + random.nextDouble() * 8) * 10) / 10.0;
      double time = 1_795_590_000 + random.nextInt(1_000_000) / 1000.0;
      assertSameBytes(format, stencil, value, time, random.nextLong(1L << random.nextInt(1, 63)));
    }
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void theOrderOfTheSlotsIsTheOrderOfTheNumbersNotOfTheBytes(SenmlFormat format) {
    // The codec writes t before v; the slots name v first.
    SenmlStencil stencil = SenmlStencil.of(format, reading(1, 2, 3), READING_TIME_COUNTER);

    SenmlPack back = format.decode(stencil.fill(19.5, 1795590001.25, 7));

    assertThat(back).isEqualTo(reading(19.5, 1795590001.25, 7));
    assertThat(stencil.openNumbers()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void anOpenBaseTimeIsCheckedWithEveryTimeItReaches(SenmlFormat format) {
    SenmlPack sample = SenmlPack.of(
        SenmlRecord.builder().baseName("dev:").baseTime(1795590000.0).name("a").value(1).time(-5).build(),
        SenmlRecord.builder().name("b").value(2).time(9e14).build());
    SenmlStencil stencil = SenmlStencil.of(format, sample, List.of(new SenmlStencil.Slot(0, "bt")));

    assertThat(format.decode(stencil.fill(1e3))).isNotNull();
    // 9e14 + 2e14 is past 1e15 seconds: refused as the pack's own constructor refuses it.
    assertThatThrownBy(() -> stencil.fill(2e14)).isInstanceOf(SenmlException.class).hasMessageContaining("record 1: time");
    assertThatThrownBy(() -> stencil.fill(Double.NaN)).isInstanceOf(SenmlException.class).hasMessageContaining("not finite");
  }

  @ParameterizedTest
  @EnumSource(SenmlFormat.class)
  void onlyNumberFieldsTheSampleHasCanBeLeftOpen(SenmlFormat format) {
    SenmlPack sample = reading(1, 2, 3);

    assertThatThrownBy(() -> SenmlStencil.of(format, sample, List.of(new SenmlStencil.Slot(0, "n"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number field");
    assertThatThrownBy(() -> SenmlStencil.of(format, sample, List.of(new SenmlStencil.Slot(1, "t"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no number there");
    assertThatThrownBy(() -> SenmlStencil.of(format, sample, List.of(new SenmlStencil.Slot(2, "v"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 records");
    assertThatThrownBy(() -> SenmlStencil.of(format, sample, List.of(new SenmlStencil.Slot(0, "v"), new SenmlStencil.Slot(0, "v"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }

  private static SenmlPack reading(double value, double time, double counter) {
    return SenmlPack.of(
        SenmlRecord.builder().baseName("thing-7:").name("temperature").unit("Cel").value(value).time(time).build(),
        SenmlRecord.builder().name("seq").value(counter).build());
  }

  private static void assertSameBytes(SenmlFormat format, SenmlStencil stencil, double value, double time, double counter) {
    byte[] expected = format.encode(reading(value, time, counter));
    byte[] filled = stencil.fill(value, time, counter);
    if (format == SenmlFormat.JSON) {
      assertThat(new String(filled, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }
    assertThat(filled).as("%s with %s, %s, %s", format, value, time, counter).isEqualTo(expected);
  }
}
