package io.thingstorm.client.mqtt;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;

/** Paho's reason codes, v3 and v5, as failure kinds. */
final class MqttFailures {
  private MqttFailures() {}

  // Paho's client-side codes, the same in v3 and v5.
  static final int CLIENT_TIMEOUT = 32000;
  static final int NOT_CONNECTED = 32104;
  static final int CONNECTION_LOST = 32109;
  static final int CLIENT_CLOSED = 32111;
  static final int CONNECT_IN_PROGRESS = 32110;
  static final int CLIENT_CONNECTED = 32100;
  static final int CLIENT_DISCONNECTING = 32102;
  /** Paho v5: the server sent DISCONNECT; its reason code is only in the message ("Disconnect RC: 135"). */
  static final int SERVER_DISCONNECTED = 32204;
  private static final java.util.regex.Pattern DISCONNECT_RC = java.util.regex.Pattern.compile("Disconnect RC: (\\d+)");

  /** MQTT 3.1.1 CONNACK return codes 1-5, Paho's client codes, and the causes beneath. */
  static DeviceException v3(Exception e, int reasonCode) {
    return switch (reasonCode) {
      case 1 -> new DeviceException(FailureKind.PROTOCOL_ERROR, "CONNACK 1: unacceptable protocol version", e);
      case 2 -> new DeviceException(FailureKind.NOT_AUTHORISED, "CONNACK 2: identifier rejected", e);
      case 3 -> new DeviceException(FailureKind.CONNECTION_REFUSED, "CONNACK 3: server unavailable", e);
      case 4 -> new DeviceException(FailureKind.BAD_CREDENTIALS, "CONNACK 4: bad user name or password", e);
      case 5 -> new DeviceException(FailureKind.NOT_AUTHORISED, "CONNACK 5: not authorised", e);
      default -> client(e, reasonCode);
    };
  }

  /** MQTT 5 reason codes 0x80 and above (CONNACK, SUBACK, PUBACK), Paho's client codes, and causes. */
  static DeviceException v5(Exception e, int reasonCode) {
    return v5(e, reasonCode, null);
  }

  /** As {@link #v5(Exception, int)}, a reason code named with the packet it came in ({@code CONNACK}), when known. */
  static DeviceException v5(Exception e, int reasonCode, String packet) {
    if (reasonCode >= 0x80 && reasonCode <= 0xA2) {
      return new DeviceException(v5Kind(reasonCode), (packet == null ? "" : packet + " ") + v5Text(reasonCode), e);
    }
    if (reasonCode == SERVER_DISCONNECTED) {
      // An operation under way when the server ended the session: the reason is the DISCONNECT's
      // (0x87 for a thing revoked meanwhile), as the connection-lost callback reports it.
      java.util.regex.Matcher rc = DISCONNECT_RC.matcher(String.valueOf(e.getMessage()));
      int code = rc.find() ? Integer.parseInt(rc.group(1)) : 0;
      return code >= 0x80 && code <= 0xA2
          ? new DeviceException(v5Kind(code), "DISCONNECT " + v5Text(code), e)
          : new DeviceException(FailureKind.CONNECTION_LOST, "the broker disconnected", e);
    }
    return client(e, reasonCode);
  }

  static FailureKind v5Kind(int reasonCode) {
    return switch (reasonCode) {
      case 0x86 -> FailureKind.BAD_CREDENTIALS;
      case 0x87 -> FailureKind.NOT_AUTHORISED;
      case 0x8C -> FailureKind.BAD_AUTHENTICATION_METHOD;
      case 0x88, 0x89, 0x97 -> FailureKind.CONNECTION_REFUSED;
      case 0x8A, 0x85 -> FailureKind.NOT_AUTHORISED;
      default -> FailureKind.PROTOCOL_ERROR;
    };
  }

  static String v5Text(int reasonCode) {
    String name = switch (reasonCode) {
      case 0x80 -> "unspecified error";
      case 0x81 -> "malformed packet";
      case 0x82 -> "protocol error";
      case 0x83 -> "implementation specific error";
      case 0x84 -> "unsupported protocol version";
      case 0x85 -> "client identifier not valid";
      case 0x86 -> "bad user name or password";
      case 0x87 -> "not authorized";
      case 0x88 -> "server unavailable";
      case 0x89 -> "server busy";
      case 0x8A -> "banned";
      case 0x8C -> "bad authentication method";
      case 0x8F -> "topic filter invalid";
      case 0x90 -> "topic name invalid";
      case 0x95 -> "packet too large";
      case 0x97 -> "quota exceeded";
      case 0x99 -> "payload format invalid";
      case 0x9A -> "retain not supported";
      case 0x9B -> "QoS not supported";
      default -> "error";
    };
    return String.format("reason code 0x%02X: %s", reasonCode, name);
  }

  private static DeviceException client(Exception e, int reasonCode) {
    if (reasonCode == CLIENT_TIMEOUT) return new DeviceException(FailureKind.TIMEOUT, "no answer from the broker in time", e);
    if (reasonCode == CLIENT_CLOSED) return new DeviceException(FailureKind.CLOSED, "the MQTT client is closed", e);
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof WebSocketUpgradeFailed upgrade) return new DeviceException(upgrade.kind(), upgrade.getMessage(), e);
    }
    DeviceException classified = Failures.classify(e);
    if (classified.kind() != FailureKind.UNKNOWN) return classified;
    if (reasonCode == CONNECTION_LOST || reasonCode == NOT_CONNECTED || reasonCode == CLIENT_DISCONNECTING) {
      return new DeviceException(FailureKind.CONNECTION_LOST, e.getMessage(), e);
    }
    return classified;
  }
}
