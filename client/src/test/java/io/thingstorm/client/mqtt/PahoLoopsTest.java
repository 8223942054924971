package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * PahoLoops falls back silently to Paho's 100 ms start polls when it does not know a loop's fields:
 * this fails instead when a Paho upgrade changes them.
 */
class PahoLoopsTest {
  @Test
  void knowsTheLoopsOfThePahoVersionsInUse() {
    assertThat(java.util.List.of(
        org.eclipse.paho.client.mqttv3.internal.CommsReceiver.class,
        org.eclipse.paho.client.mqttv3.internal.CommsSender.class,
        org.eclipse.paho.client.mqttv3.internal.CommsCallback.class,
        org.eclipse.paho.mqttv5.client.internal.CommsReceiver.class,
        org.eclipse.paho.mqttv5.client.internal.CommsSender.class,
        org.eclipse.paho.mqttv5.client.internal.CommsCallback.class)).allMatch(PahoLoops::recognises);
    assertThat(PahoLoops.recognises(Thread.class)).isFalse();
  }
}
