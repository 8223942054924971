package io.thingstorm.testbed.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cybus permissions file: what it grants, and a bad file named with what is wrong with it. */
class TopicPermissionsTest {
  @TempDir Path dir;

  @Test
  void eachUserGetsTheFiltersOnItsLine() throws Exception {
    Path file = Files.writeString(dir.resolve("permissions.properties"), """
        # user (= cert CN) = MQTT topic filters
        device001 = factory/device001/#, factory/+/commands
        """);

    TopicPermissions permissions = TopicPermissions.read(file);

    assertThat(permissions.allows("device001", "factory/device001/temperature")).isTrue();
    assertThat(permissions.allows("device001", "factory/press/commands")).isTrue();
    assertThat(permissions.allows("device001", "factory/device002/temperature")).isFalse();
    assertThat(permissions.allows("device002", "factory/device001/temperature")).isFalse();
  }

  @Test
  void aBadFileIsNamedWithWhatIsWrong() throws Exception {
    Path escape = Files.writeString(dir.resolve("escape.properties"), "device001 = factory/\\uZZ/#\n");
    Path binary = Files.write(dir.resolve("binary.properties"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a', '=', 'b'});
    Path absent = dir.resolve("absent.properties");

    assertThatThrownBy(() -> TopicPermissions.read(escape))
        .hasMessage("permissions " + escape + ": a \\u escape that is not four hex digits");
    assertThatThrownBy(() -> TopicPermissions.read(binary)).hasMessage("permissions " + binary + " is not a UTF-8 text file");
    assertThatThrownBy(() -> TopicPermissions.read(absent)).hasMessage("no such permissions file: " + absent);
  }
}
