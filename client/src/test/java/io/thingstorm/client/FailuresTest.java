package io.thingstorm.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void runningOutOfFileDescriptors_isItsOwnClass_whereverItSits() {
    var wrapped = new IllegalStateException("connect failed", new SocketException("Too many open files"));
    assertThat(Failures.classify(wrapped).kind()).isEqualTo(FailureKind.TOO_MANY_OPEN_FILES);
    assertThat(FailureKind.TOO_MANY_OPEN_FILES.isTransient()).isTrue();
  }

  @Test
  void theJdksOwnEmfileIsRecognised() throws IOException {
    // Open (unconnected) sockets until the process limit (20,000 here) refuses one, then let them all go.
    List<java.nio.channels.SocketChannel> open = new ArrayList<>();
    try {
      for (int i = 0; i < 100_000; i++) open.add(java.nio.channels.SocketChannel.open());
      throw new AssertionError("no file descriptor limit met");
    } catch (IOException e) {
      assertThat(Failures.classify(e).kind()).isEqualTo(FailureKind.TOO_MANY_OPEN_FILES);
    } finally {
      for (var s : open) s.close();
    }
  }
}
