package io.thingstorm.client;

/**
 * How the thing key goes into the HTTP {@code Authorization} header and the WSS
 * {@code authorization} query: Mainflux versions differ.
 */
public enum AuthorizationFormat {
  /** No header: under mTLS the certificate says who the thing is (the Mainflux default). WSS still sends the plain key. */
  NONE(""),
  /** The plain key, as the Mainflux docs show. */
  PLAIN(""),
  /** {@code Thing <key>}: Mainflux 2023-24. */
  THING("Thing "),
  /** {@code Client <key>}: Magistrala. */
  CLIENT("Client ");

  private final String prefix;

  AuthorizationFormat(String prefix) {
    this.prefix = prefix;
  }

  public String render(String thingKey) {
    return prefix + thingKey;
  }

  public static AuthorizationFormat parse(String name) {
    for (AuthorizationFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) return f;
    }
    throw new IllegalArgumentException("unknown authorization format '" + name + "' (known: none, plain, thing, client)");
  }
}
