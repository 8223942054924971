package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublishWindowTest {
  @Test
  void publishesBeyondTheWindowEnterButAreNotWithinIt() {
    PublishWindow window = new PublishWindow();
    assertThat(window.enter(2)).isTrue();
    assertThat(window.enter(2)).isTrue();
    assertThat(window.enter(2)).as("a third publish waits in Paho's queue for an acknowledgement").isFalse();
    assertThat(window.open()).isEqualTo(3);

    window.leave();
    window.leave();
    assertThat(window.enter(2)).isTrue();
  }

  @Test
  void aBlockingPublishWaitsForTheAcknowledgementThatFreesAPlace() throws Exception {
    PublishWindow window = new PublishWindow();
    window.awaitPlace(1, Duration.ofSeconds(5));
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> window.awaitPlace(1, Duration.ofSeconds(30)));
    Thread.sleep(100);
    assertThat(second).isNotDone();

    window.leave();
    second.get(10, TimeUnit.SECONDS);
    assertThat(window.open()).isEqualTo(1);
  }

  @Test
  void aWindowThatStaysFullIsATimeoutNamingIt() {
    PublishWindow window = new PublishWindow();
    window.awaitPlace(1, Duration.ofSeconds(5));
    assertThatThrownBy(() -> window.awaitPlace(1, Duration.ofMillis(50)))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT))
        .hasMessageContaining("all 1 in-flight publishes stayed unacknowledged for 50 ms");
    assertThat(window.open()).as("the refused publish took no place").isEqualTo(1);
  }
}
