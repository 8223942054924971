package io.thingstorm.client;

/**
 * What went wrong, as a class a person can act on and a load generator can count by. Each kind
 * carries a short name, what it means, and what usually fixes it.
 */
public enum FailureKind {
  // ---- the thing's own identity, found before connecting
  INVALID_IDENTITY("invalid identity", "the thing's certificate or key cannot be used",
      "check the --cert and --key files (PEM, matching, password)"),
  KEY_MISMATCH("key does not match certificate", "the private key does not belong to the certificate",
      "pass the key that was generated with this certificate"),

  // ---- TLS: the server refused the thing's certificate (alerts the server sent)
  UNKNOWN_CA("unknown CA", "the server does not trust this thing's certificate issuer",
      "append the CA that issued the thing's certificate to the server's CA bundle"),
  CERT_EXPIRED("certificate expired", "the thing's certificate is past its end date",
      "issue a new certificate for this thing"),
  CERT_NOT_YET_VALID("certificate not yet valid", "the thing's certificate starts in the future",
      "check the clocks, or wait until the certificate's start date"),
  BAD_CERTIFICATE("bad certificate", "the server rejected the thing's certificate",
      "check that the certificate is a client certificate (EKU clientAuth) from a CA the server trusts"),
  CERTIFICATE_REQUIRED("certificate required", "the server requires a client certificate and got none",
      "pass the thing's certificate and key; check that the key type suits the server"),
  TLS_VERSION_REFUSED("TLS version refused", "client and server share no TLS version",
      "allow the version the server speaks (Cybus Connectware: TLS 1.2 only)"),
  HANDSHAKE_FAILED("TLS handshake failed", "client and server could not agree on TLS parameters",
      "check TLS versions and cipher suites on both sides"),

  // ---- TLS: the thing refused the server
  SERVER_UNTRUSTED("server certificate not trusted (unknown CA)", "the server's certificate is not signed by a CA in the CA bundle",
      "pass the CA that issued the server's certificate with --ca"),
  SERVER_CERT_INVALID("server certificate invalid", "the server's certificate is expired, not yet valid or unusable",
      "renew the server's certificate"),
  HOSTNAME_MISMATCH("hostname mismatch", "the server's certificate does not name the host connected to",
      "connect with a host name in the server certificate's SANs, or reissue it with this one"),

  // ---- network
  CONNECTION_REFUSED("connection refused", "nothing listens at that host and port",
      "check the URL's host and port, and that the server runs"),
  UNKNOWN_HOST("unknown host", "the host name does not resolve", "check the URL's host name"),
  TIMEOUT("timed out", "the server did not answer in time", "check the network path and the server's load"),
  CONNECTION_LOST("connection lost", "the server closed the connection",
      "look at the server's log for the reason"),
  TOO_MANY_OPEN_FILES("too many open files", "this process ran out of file descriptors (each connection takes one, "
      + "Conscrypt three)", "raise ulimit -n, or spread the fleet over more processes (shards)"),

  // ---- MQTT
  BAD_CREDENTIALS("bad user name or password", "the broker refused the MQTT user name or password",
      "check the thing id and thing key (Mainflux: password = the CN of the certificate)"),
  NOT_AUTHORISED("not authorised", "the broker refused the connection",
      "check the MQTT user name (Mainflux: the thing id, not its key) and that the thing exists on the platform "
          + "(Cybus: a user named as the CN with grant type certificate)"),
  BAD_AUTHENTICATION_METHOD("bad authentication method", "the broker refused the authentication method (0x8C)",
      "connect without an MQTT 5 authentication method, or with one the broker knows"),
  NO_PERMISSION("no permission", "the platform refused this thing the topic",
      "grant this thing access to the channel (connect the thing to the channel)"),
  CLOSED_AT_FIRST_PUBLISH("closed at first publish",
      "the MQTT 3.1.1 broker closed the connection at the thing's first publish, before acknowledging it",
      "MQTT 3.1.1 has no other way to refuse a publish: connect the thing to the channel (or grant it the topic), "
          + "and keep packets under the broker's limit; MQTT 5 names the reason"),

  // ---- HTTP
  HTTP_UNAUTHORIZED("HTTP 401 unauthorized", "the platform did not accept the thing's credentials",
      "check the thing key and the Authorization format of the profile"),
  HTTP_FORBIDDEN("HTTP 403 forbidden", "the Authorization header or query does not match the certificate's CN, or the thing may not use the channel",
      "send the thing key that is the certificate's CN, or none, and connect the thing to the channel"),
  UNSUPPORTED_MEDIA_TYPE("HTTP 415 unsupported media type", "the platform refused the content type",
      "send application/senml+json or application/senml+cbor"),
  HTTP_ERROR("HTTP error", "the platform answered with an error status", "look at the server's log for the reason"),

  // ---- WebSocket
  WS_CLOSED("WebSocket closed", "the server closed the WebSocket", "look at the close code and the server's log"),

  PROTOCOL_ERROR("protocol error", "the server answered something the client did not expect",
      "check that the URL points at the right kind of server"),
  CLOSED("closed", "the client was closed", "open a new client"),
  UNKNOWN("failure", "an unexpected failure", "run with THINGSTORM_DEBUG=1 for the stack trace");

  private final String title;
  private final String meaning;
  private final String fix;

  FailureKind(String title, String meaning, String fix) {
    this.title = title;
    this.meaning = meaning;
    this.fix = fix;
  }

  /** A short name, such as "unknown CA". */
  public String title() {
    return title;
  }

  /** What it means, in a sentence fragment. */
  public String meaning() {
    return meaning;
  }

  /** What usually fixes it. */
  public String fix() {
    return fix;
  }

  /** Whether trying again later may succeed without changing anything (network trouble). */
  public boolean isTransient() {
    return this == CONNECTION_REFUSED || this == TIMEOUT || this == CONNECTION_LOST || this == UNKNOWN_HOST
        || this == TOO_MANY_OPEN_FILES;
  }
}
