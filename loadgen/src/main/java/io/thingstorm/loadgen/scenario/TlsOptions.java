package io.thingstorm.loadgen.scenario;

import java.util.List;

/**
 * How devices speak TLS.
 *
 * @param versions protocol versions offered, JSSE names ({@code TLSv1.3}, {@code TLSv1.2}), in order of preference
 * @param provider which JSSE implementation makes the handshakes
 * @param resumption whether devices resume sessions on reconnect (session tickets / IDs)
 * @param hostnameVerification whether the server's certificate must name the host connected to
 * @param ecdsa whose ECDSA the JDK's TLS uses in the generator's JVM (devices under {@code jdk}, an
 *     embedded testbed): {@code auto} is Conscrypt's where it loads, three to ten times cheaper
 * @param keyShares whose code makes the JDK's TLS key shares in the generator's JVM: {@code auto} is
 *     Bouncy Castle's X25519 and Conscrypt's P-256 where it loads, about a tenth of a JDK connect's CPU
 * @param groups key exchange groups the devices offer, in order ({@code x25519}, {@code secp256r1},
 *     ...); empty: the provider's defaults
 */
public record TlsOptions(List<String> versions, Provider provider, boolean resumption, boolean hostnameVerification,
    Ecdsa ecdsa, KeyShareMath keyShares, List<String> groups) {
  public static final List<String> KNOWN_VERSIONS = List.of("TLSv1.3", "TLSv1.2");
  public static final TlsOptions DEFAULT = new TlsOptions(KNOWN_VERSIONS, Provider.AUTO, true, true, Ecdsa.AUTO, KeyShareMath.AUTO, List.of());

  public TlsOptions {
    versions = List.copyOf(versions);
    groups = List.copyOf(groups);
  }

  /** Whose ECDSA the JDK's TLS uses; AUTO is Conscrypt's where it loads, else the JDK's. */
  public enum Ecdsa {
    AUTO, JDK, CONSCRYPT;

    /** As a scenario spells it: auto, jdk, conscrypt. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whose code makes the JDK's TLS key shares; AUTO is the faster (see {@code KeyShares}), JDK the JDK's own. */
  public enum KeyShareMath {
    AUTO, JDK;

    /** As a scenario spells it: auto, jdk. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The JSSE provider; AUTO takes the fastest that loads here (Conscrypt, then the JDK's) and the report names it. */
  public enum Provider {
    AUTO("auto"), JDK("jdk"), BOUNCYCASTLE("bouncycastle"), CONSCRYPT("conscrypt");

    private final String label;

    Provider(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    @Override
    public String toString() {
      return label;
    }
  }
}
