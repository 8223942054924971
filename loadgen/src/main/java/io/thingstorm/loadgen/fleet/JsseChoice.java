package io.thingstorm.loadgen.fleet;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.tls.ConscryptSignatures;
import io.thingstorm.client.tls.KeyShares;
import io.thingstorm.client.tls.TlsProvider;
import java.util.Locale;

/**
 * Which JSSE provider runs the fleet's TLS, and whose ECDSA the JDK's TLS uses. {@code auto} takes
 * the fastest that loads here: Conscrypt (BoringSSL; about 3x cheaper client handshakes than the
 * JDK's, see FACTS), else the JDK's; and for the JDK's TLS (devices under {@code jdk}, an embedded
 * testbed's server) Conscrypt's ECDSA where it loads. The generator's own CPU must not be what
 * limits a handshake storm.
 */
public final class JsseChoice {
  private JsseChoice() {}

  /** {@code auto}, {@code jdk}, {@code conscrypt} or {@code bcjsse}; a named one that does not load fails in one line. */
  public static TlsProvider resolve(String name) {
    return resolve(name, false);
  }

  /**
   * As {@link #resolve(String)}; when key exchange groups are asked for, {@code auto} takes the
   * JDK's provider, as Conscrypt cannot be told its groups.
   */
  public static TlsProvider resolve(String name, boolean groupsAsked) {
    return resolve(name, groupsAsked, null);
  }

  /**
   * As {@link #resolve(String, boolean)}; for things with Ed25519 keys too, {@code auto} takes the
   * JDK's provider: Conscrypt signs no client CertificateVerify with an Ed25519 key, so every
   * device would be refused ("certificate required").
   */
  public static TlsProvider resolve(String name, boolean groupsAsked, KeyType thingKeys) {
    String wanted = name == null || name.isBlank() ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("auto") && (groupsAsked || thingKeys == KeyType.ED25519)) return TlsProvider.JDK;
    if (!wanted.equals("auto")) {
      TlsProvider provider;
      try {
        provider = TlsProvider.parse(wanted);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown TLS provider '" + name + "' (known: auto, jdk, bcjsse, conscrypt)", e);
      }
      provider.provider();
      return provider;
    }
    try {
      TlsProvider.CONSCRYPT.provider();
      return TlsProvider.CONSCRYPT;
    } catch (RuntimeException | LinkageError notHere) {
      return TlsProvider.JDK;
    }
  }

  /**
   * Whose ECDSA the JDK's TLS uses in this JVM from now on: {@code auto} (Conscrypt's where it
   * loads), {@code conscrypt} (fails in one line where it does not load) or {@code jdk}. JVM-wide,
   * as the JDK's provider list is (see {@link ConscryptSignatures}); {@link #describe} names the outcome.
   */
  public static void ecdsa(String name) {
    String wanted = name == null || name.isBlank() ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    switch (wanted) {
      case "jdk" -> ConscryptSignatures.uninstall();
      case "auto" -> ConscryptSignatures.install();
      case "conscrypt" -> {
        if (!ConscryptSignatures.install()) throw new IllegalStateException("Conscrypt does not load here: its ECDSA cannot be used");
      }
      default -> throw new IllegalArgumentException("unknown ECDSA implementation '" + name + "' (known: auto, jdk, conscrypt)");
    }
  }

  /**
   * Whose code makes the JDK's TLS key shares in this JVM from now on: {@code auto} (Bouncy Castle's
   * X25519, Conscrypt's P-256 where it loads) or {@code jdk}. JVM-wide (see {@link KeyShares}).
   */
  public static void keyShares(String name) {
    String wanted = name == null || name.isBlank() ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    switch (wanted) {
      case "jdk" -> KeyShares.uninstall();
      case "auto" -> KeyShares.install();
      default -> throw new IllegalArgumentException("unknown key share implementation '" + name + "' (known: auto, jdk)");
    }
  }

  /**
   * The provider as a report names it: "conscrypt", "jdk", with "+conscrypt-ecdsa" when the JDK's
   * TLS signs with Conscrypt and "+fast-key-shares" when its key shares are {@link KeyShares}'.
   */
  public static String describe(TlsProvider provider) {
    String name = provider.name().toLowerCase(Locale.ROOT);
    if (provider != TlsProvider.JDK) return name;
    if (ConscryptSignatures.isInstalled()) name += "+conscrypt-ecdsa";
    if (KeyShares.isInstalled()) name += "+fast-key-shares";
    return name;
  }
}
