package io.thingstorm.client.mqtt;

import io.thingstorm.client.FailureKind;
import java.io.IOException;

/** The server did not turn the connection into a WebSocket for MQTT; {@link #kind()} says how to name it. */
final class WebSocketUpgradeFailed extends IOException {
  private final FailureKind kind;

  WebSocketUpgradeFailed(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  FailureKind kind() {
    return kind;
  }

  /** An answer other than 101: 401 and 403 as the HTTP adapter's refusals are named, others as an HTTP error. */
  static WebSocketUpgradeFailed refused(String pathAndQuery, String statusLine, String status) {
    FailureKind kind = switch (status) {
      case "401" -> FailureKind.HTTP_UNAUTHORIZED;
      case "403" -> FailureKind.HTTP_FORBIDDEN;
      default -> FailureKind.HTTP_ERROR;
    };
    return new WebSocketUpgradeFailed(kind, "the WebSocket upgrade of " + pathAndQuery + " was refused: " + statusLine);
  }
}
