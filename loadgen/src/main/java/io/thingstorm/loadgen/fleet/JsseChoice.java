package io.thingstorm.loadgen.fleet;

import io.thingstorm.client.tls.TlsProvider;
import java.util.Locale;

/**
 * Which JSSE provider runs the fleet's TLS. {@code auto} takes the fastest that loads here:
 * Conscrypt (BoringSSL; about 3x cheaper client handshakes than the JDK's, see FACTS), else the JDK's.
 * The generator's own CPU must not be what limits a handshake storm.
 */
public final class JsseChoice {
  private JsseChoice() {}

  /** {@code auto}, {@code jdk}, {@code conscrypt} or {@code bcjsse}; a named one that does not load fails in one line. */
  public static TlsProvider resolve(String name) {
    String wanted = name == null || name.isBlank() ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    if (!wanted.equals("auto")) {
      TlsProvider provider = TlsProvider.parse(wanted);
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
}
