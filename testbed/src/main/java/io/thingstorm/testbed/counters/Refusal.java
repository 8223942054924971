package io.thingstorm.testbed.counters;

/** Why the testbed turned something away, in the platform's own terms. */
public enum Refusal {
  /** The TLS handshake failed: unknown CA, expired or missing client certificate, refused TLS version. */
  TLS_FAILURE("tls"),
  /** CONNACK 5 (MQTT 3.1.1) or 0x87 (MQTT 5): wrong password, unknown key, no such user. */
  NOT_AUTHORISED("not-authorised"),
  /** A publish or subscription outside the thing's channels or permissions (SUBACK 128 / 0x87). */
  NO_PERMISSION("no-permission"),
  /** HTTP 400: not a valid SenML pack, or a path that names no channel. */
  BAD_REQUEST("bad-request"),
  /** HTTP 415: neither application/senml+json nor application/senml+cbor. */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media"),
  /** HTTP 403 or a refused WebSocket upgrade: Authorization not the cert key, unknown thing, channel not connected. */
  FORBIDDEN("forbidden"),
  /** HTTP 413 or WebSocket close 1009: a body or message over the testbed's limit. */
  TOO_LARGE("too-large");

  private final String label;

  Refusal(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
