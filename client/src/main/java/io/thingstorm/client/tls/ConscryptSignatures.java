package io.thingstorm.client.tls;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Conscrypt's (BoringSSL's) ECDSA beneath the JDK's own TLS. The JDK's TLS stays in charge of the
 * protocol (and keeps its memory: one descriptor and about 30 KB a connection, where Conscrypt's
 * sockets take three and 52 KB); only the signatures it makes and checks are done by BoringSSL.
 * On this kind of machine SunEC signs a P-256 digest in about 220 µs and verifies one in 700 µs,
 * BoringSSL in 25 and 65; a full mutual TLS 1.3 handshake makes one and checks one or two, so the
 * JDK's client then spends about a third less CPU per handshake.
 *
 * <p>The JDK's TLS finds its {@code Signature} objects through the JVM-wide provider list, so this
 * is a JVM-wide choice: {@link #install()} puts a provider offering only {@code SHA*withECDSA} in
 * front. Everything else (RSA, EdDSA, key agreement, key generation, key stores) stays with the JDK;
 * a key Conscrypt cannot take is handed on to the next provider by the JDK itself.
 */
public final class ConscryptSignatures {
  /** The name the provider is registered under. */
  public static final String PROVIDER_NAME = "ThingstormConscryptEcdsa";

  private static final List<String> ALGORITHMS = List.of("SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA");
  private static final LongAdder MADE = new LongAdder();

  private ConscryptSignatures() {}

  /**
   * Puts Conscrypt's ECDSA first in this JVM. Returns true when it is in place (now or already),
   * false when Conscrypt does not load here (nothing changes then).
   */
  public static synchronized boolean install() {
    if (isInstalled()) return true;
    Provider conscrypt;
    try {
      conscrypt = TlsProvider.CONSCRYPT.provider();
    } catch (RuntimeException | LinkageError notHere) {
      return false;
    }
    Security.insertProviderAt(new EcdsaOnly(conscrypt), 1);
    return true;
  }

  /** Takes it out again: the JDK's own ECDSA from then on. */
  public static synchronized void uninstall() {
    Security.removeProvider(PROVIDER_NAME);
  }

  public static boolean isInstalled() {
    return Security.getProvider(PROVIDER_NAME) != null;
  }

  /** How many signature objects it has made so far: shows that the TLS stack really used it. */
  public static long signaturesMade() {
    return MADE.sum();
  }

  /** Conscrypt's ECDSA services under a provider of their own, so that nothing else of Conscrypt's comes first. */
  private static final class EcdsaOnly extends Provider {
    EcdsaOnly(Provider conscrypt) {
      super(PROVIDER_NAME, "1", "Conscrypt's ECDSA signatures for the JDK's TLS");
      for (String algorithm : ALGORITHMS) {
        Provider.Service real = conscrypt.getService("Signature", algorithm);
        if (real == null) continue;
        putService(new BorrowedService(this, real, MADE));
      }
    }
  }
}
