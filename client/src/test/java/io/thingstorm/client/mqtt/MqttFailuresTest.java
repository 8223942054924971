package io.thingstorm.client.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.client.FailureKind;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/**
 * The broker answers the tests cannot provoke from mosquitto 2.0 (its acl_file grants every
 * subscription and filters deliveries instead; use_identity_as_username skips passwords): the
 * codes as Paho reports them, and the kinds they become.
 */
class MqttFailuresTest {
  @Test
  void connackCodesOfMqtt311() {
    assertThat(MqttFailures.v3(new MqttException(4), 4).kind()).isEqualTo(FailureKind.BAD_CREDENTIALS);
    assertThat(MqttFailures.v3(new MqttException(5), 5).kind()).isEqualTo(FailureKind.NOT_AUTHORISED);
    assertThat(MqttFailures.v3(new MqttException(5), 5).getMessage())
        .startsWith("not authorised: the broker refused the connection").contains("CONNACK 5");
  }

  @Test
  void reasonCodesOfMqtt5() {
    var e = new org.eclipse.paho.mqttv5.common.MqttException(0x86);
    assertThat(MqttFailures.v5(e, 0x86).kind()).isEqualTo(FailureKind.BAD_CREDENTIALS);
    assertThat(MqttFailures.v5(e, 0x87).kind()).isEqualTo(FailureKind.NOT_AUTHORISED);
    assertThat(MqttFailures.v5(e, 0x8C).kind()).isEqualTo(FailureKind.BAD_AUTHENTICATION_METHOD);
    assertThat(MqttFailures.v5(e, 0x87).getMessage()).contains("reason code 0x87: not authorized");
  }

  @Test
  void pahosClientCodes() {
    assertThat(MqttFailures.v3(new MqttException(MqttFailures.CLIENT_TIMEOUT), MqttFailures.CLIENT_TIMEOUT).kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(MqttFailures.v3(new MqttException(MqttFailures.CONNECTION_LOST), MqttFailures.CONNECTION_LOST).kind()).isEqualTo(FailureKind.CONNECTION_LOST);
    assertThat(Mqtt3Transport.SUBSCRIPTION_REFUSED).isEqualTo(128);
  }
}
