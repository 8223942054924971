package io.thingstorm.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A testbed picks all its ports before it binds one: were a port handed out twice meanwhile, two
 * listeners would be given it, and a client of one would reach the other (seen in a CI-like run:
 * an MQTT client met the HTTPS listener, which closed the connection).
 */
class PortsTest {
  @Test
  void portsHandedOutBeforeAnyIsBoundAreAllDifferent() {
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      // 3,000 picks among 12,000 ports: by chance alone, some would repeat.
      assertThat(given.add(Ports.free(InetAddress.getLoopbackAddress()))).as("pick %d", i).isTrue();
    }
  }
}
