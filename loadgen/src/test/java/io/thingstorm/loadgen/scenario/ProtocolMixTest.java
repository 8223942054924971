package io.thingstorm.loadgen.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolMixTest {
  private static final Map<Protocol, Integer> QUICKSTART =
      Map.of(Protocol.MQTT3, 70, Protocol.MQTT5, 10, Protocol.HTTPS, 10, Protocol.WSS, 10);

  @Test
  void allocatesThePercentagesExactly() {
    ProtocolMix mix = new ProtocolMix(QUICKSTART, 200);
    assertThat(mix.devices()).isEqualTo(Map.of(Protocol.MQTT3, 140, Protocol.MQTT5, 20, Protocol.HTTPS, 20, Protocol.WSS, 20));
    assertThat(countByProtocol(mix, 0, 200)).isEqualTo(mix.devices());
  }

  @Test
  void leftoverDevicesGoToTheLargestRemainders() {
    // 7 devices at 70/10/10/10: exact shares 4.9, 0.7, 0.7, 0.7 -> floors 4/0/0/0, and 3 left over.
    ProtocolMix mix = new ProtocolMix(QUICKSTART, 7);
    assertThat(mix.devices()).isEqualTo(Map.of(Protocol.MQTT3, 5, Protocol.MQTT5, 1, Protocol.HTTPS, 1));
    assertThat(countByProtocol(mix, 0, 7)).isEqualTo(mix.devices());
    // 3 devices at 34/33/33: 1.02, 0.99, 0.99 -> 1/0/0 then the two 0.99s.
    ProtocolMix thirds = new ProtocolMix(Map.of(Protocol.MQTT3, 34, Protocol.HTTPS, 33, Protocol.WSS, 33), 3);
    assertThat(thirds.devices()).isEqualTo(Map.of(Protocol.MQTT3, 1, Protocol.HTTPS, 1, Protocol.WSS, 1));
  }

  @Test
  void protocolsAreInterleavedSoThatEveryStretchHasTheMix() {
    ProtocolMix mix = new ProtocolMix(QUICKSTART, 200);
    // Any 10 devices in a row hold 7 mqtt3 and one of each other, give or take one.
    for (int start = 0; start + 10 <= 200; start++) {
      assertThat(countByProtocol(mix, start, start + 10).get(Protocol.MQTT3)).isBetween(6, 8);
    }
    assertThat(mix.protocolOf(0)).isEqualTo(Protocol.MQTT3);
    assertThat(new ProtocolMix(QUICKSTART, 200).protocolOf(137)).isEqualTo(mix.protocolOf(137)); // deterministic
  }

  @Test
  void refusesPercentagesThatDoNotSumTo100() {
    assertThatThrownBy(() -> new ProtocolMix(Map.of(Protocol.MQTT3, 90), 10)).hasMessage("percentages sum to 90, not 100");
  }

  @Test
  void aSingleProtocolTakesEveryDevice() {
    ProtocolMix mix = ProtocolMix.only(Protocol.WSS, 3);
    assertThat(mix.protocolOf(2)).isEqualTo(Protocol.WSS);
    assertThat(mix.uses(Protocol.MQTT3)).isFalse();
  }

  private static Map<Protocol, Integer> countByProtocol(ProtocolMix mix, int from, int to) {
    Map<Protocol, Integer> counts = new EnumMap<>(Protocol.class);
    for (int i = from; i < to; i++) counts.merge(mix.protocolOf(i), 1, Integer::sum);
    return counts;
  }
}
