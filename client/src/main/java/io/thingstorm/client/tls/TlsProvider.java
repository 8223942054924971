package io.thingstorm.client.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JSSE implementation that runs a thing's TLS. The JDK's is the default; Conscrypt (BoringSSL)
 * costs 3-5x less CPU per handshake; Bouncy Castle JSSE is a third stack, in Java.
 */
public enum TlsProvider {
  JDK(null),
  BCJSSE("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider"),
  CONSCRYPT("org.conscrypt.OpenSSLProvider");

  private final String className;
  private volatile Provider provider;

  TlsProvider(String className) {
    this.className = className;
  }

  /** The provider instance (one per JVM), or null for the JDK's default; fails in one line when missing. */
  public Provider provider() {
    if (className == null) return null;
    Provider loaded = provider;
    if (loaded == null) {
      synchronized (this) {
        loaded = provider;
        if (loaded == null) {
          try {
            Class<?> type = Class.forName(className);
            // BCJSSE's crypto through Bouncy Castle's own provider: through the JDK's it finds no RSA-PSS
            // under its names, and so offers no RSA client key over TLS 1.3.
            loaded = this == BCJSSE
                ? (Provider) type.getConstructor(Provider.class).newInstance(new BouncyCastleProvider())
                : (Provider) type.getConstructor().newInstance();
          } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("TLS provider " + this + " is not available here: "
                + (e.getCause() != null ? e.getCause() : e), e);
          }
          provider = loaded;
        }
      }
    }
    return loaded;
  }

  /** Parses jdk, bcjsse or conscrypt. */
  public static TlsProvider parse(String name) {
    for (TlsProvider p : values()) {
      if (p.name().equalsIgnoreCase(name.trim())) return p;
    }
    throw new IllegalArgumentException("unknown TLS provider '" + name + "' (known: jdk, bcjsse, conscrypt)");
  }
}
