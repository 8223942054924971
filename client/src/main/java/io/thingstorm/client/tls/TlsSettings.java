package io.thingstorm.client.tls;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * How things speak TLS to a server: whom to trust, which TLS versions and cipher suites, hostname
 * verification, SNI, session resumption and the JSSE provider. Immutable and meant to be shared by
 * a whole fleet; {@link #forIdentity(ThingIdentity)} makes one thing's {@link ThingTls}.
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.builder().caBundle(Path.of("ca.crt")).build();
 * ThingTls thingTls = tls.forIdentity(identity);
 * }</pre>
 */
public final class TlsSettings {
  private static final System.Logger LOG = System.getLogger(TlsSettings.class.getName());
  private static final AtomicBoolean HOSTNAME_WARNING_GIVEN = new AtomicBoolean();
  private static final Set<String> REFUSED_VERSIONS = Set.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The key exchange groups {@link Builder#namedGroups} knows, in JSSE's names. */
  public static final List<String> KNOWN_GROUPS = List.of("x25519", "x448", "secp256r1", "secp384r1", "secp521r1",
      "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

  private final TrustMaterial trust;
  private final List<String> versions;
  private final List<String> cipherSuites;
  private final boolean verifyHostname;
  private final boolean sendSni;
  private final String sniHostName;
  private final boolean sessionResumption;
  private final TlsProvider provider;
  private final Runnable serverCheckListener;
  private final boolean rememberAcceptedChains;
  private final List<String> namedGroups;

  private TlsSettings(Builder b) {
    this.trust = b.trust;
    this.versions = b.versions;
    this.cipherSuites = b.cipherSuites;
    this.verifyHostname = b.verifyHostname;
    this.sendSni = b.sendSni;
    this.sniHostName = b.sniHostName;
    this.sessionResumption = b.sessionResumption;
    this.provider = b.provider;
    this.serverCheckListener = b.serverCheckListener;
    this.rememberAcceptedChains = b.rememberAcceptedChains;
    this.namedGroups = b.namedGroups;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder b = new Builder();
    b.trust = trust;
    b.versions = versions;
    b.cipherSuites = cipherSuites;
    b.verifyHostname = verifyHostname;
    b.sendSni = sendSni;
    b.sniHostName = sniHostName;
    b.sessionResumption = sessionResumption;
    b.provider = provider;
    b.serverCheckListener = serverCheckListener;
    b.rememberAcceptedChains = rememberAcceptedChains;
    b.namedGroups = namedGroups;
    return b;
  }

  public TrustMaterial trust() {
    return trust;
  }

  /** The versions enabled unless others are chosen. */
  public static final List<String> DEFAULT_VERSIONS = List.of("TLSv1.3", "TLSv1.2");

  /** Enabled TLS versions, such as TLSv1.3 and TLSv1.2, in JSSE names. */
  public List<String> versions() {
    return versions;
  }

  /** Enabled cipher suites; empty means the provider's defaults. */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  public boolean verifyHostname() {
    return verifyHostname;
  }

  public boolean sendSni() {
    return sendSni;
  }

  /** The SNI host name to send instead of the connected host, or null. */
  public String sniHostName() {
    return sniHostName;
  }

  public boolean sessionResumption() {
    return sessionResumption;
  }

  public TlsProvider provider() {
    return provider;
  }

  /** Key exchange groups offered, in order of preference; empty means the provider's defaults. */
  public List<String> namedGroups() {
    return namedGroups;
  }

  /** Whether a server chain accepted once is taken again without a new PKIX check (on by default). */
  public boolean rememberAcceptedChains() {
    return rememberAcceptedChains;
  }

  /** One thing's TLS: an SSLContext with its key and chain and the shared trust. */
  public ThingTls forIdentity(ThingIdentity identity) {
    try {
      java.security.Provider jsse = provider.provider();
      if (provider == TlsProvider.CONSCRYPT && identity.privateKey().getAlgorithm().equals("RSASSA-PSS")) {
        // BoringSSL offers no rsa_pss_pss signature scheme: the handshake would fail as "could not agree".
        throw new DeviceException(FailureKind.INVALID_IDENTITY,
            "Conscrypt cannot sign with an RSA-PSS key (id-RSASSA-PSS): use the TLS provider jdk or bcjsse for this thing");
      }
      List<X509Certificate> chain = identity.chain();
      PrivateKey key = nativeKey(identity.privateKey(), jsse);
      KeyManager keyManager = new ThingKeyManager(chain.toArray(new X509Certificate[0]), key);
      javax.net.ssl.X509TrustManager serverCheck = rememberAcceptedChains ? trust.rememberingTrustManager(provider) : trust.trustManager(provider);
      TrustManager trustManager = observed(serverCheck);
      SSLContext context = jsse == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", jsse);
      context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, RANDOM);
      return new ThingTls(this, context, serverCheck);
    } catch (GeneralSecurityException e) {
      throw new DeviceException(FailureKind.INVALID_IDENTITY, "cannot set up TLS with " + provider + ": " + e.getMessage(), e);
    }
  }

  private TrustManager observed(javax.net.ssl.X509TrustManager manager) {
    if (serverCheckListener == null) return manager;
    if (!(manager instanceof javax.net.ssl.X509ExtendedTrustManager extended)) {
      throw new IllegalStateException(provider + "'s trust manager cannot be observed: it checks no host names");
    }
    return new ObservedTrustManager(extended, serverCheckListener);
  }

  /** The key as the provider's own key class, so that signing does not convert it per handshake. */
  private static PrivateKey nativeKey(PrivateKey key, java.security.Provider jsse) {
    String algorithm = key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm();
    // Under the JDK's TLS with Conscrypt's ECDSA, Conscrypt signs: its own key form spares it parsing the key per handshake.
    if (jsse == null && algorithm.equals("EC") && ConscryptSignatures.isInstalled()) jsse = TlsProvider.CONSCRYPT.provider();
    try {
      KeyFactory factory = jsse == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, jsse);
      return factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException notSupported) {
      return key;
    }
  }

  @Override
  public String toString() {
    return "TlsSettings[" + provider + ", " + versions + ", " + trust.authorities().size() + " CAs"
        + (verifyHostname ? "" : ", INSECURE: no hostname verification") + (sessionResumption ? "" : ", no resumption") + "]";
  }

  public static final class Builder {
    private TrustMaterial trust;
    private Path caBundle;
    private boolean systemTrustStore;
    private List<String> versions = DEFAULT_VERSIONS;
    private List<String> cipherSuites = List.of();
    private boolean verifyHostname = true;
    private boolean sendSni = true;
    private String sniHostName;
    private boolean sessionResumption = true;
    private TlsProvider provider = TlsProvider.JDK;
    private Runnable serverCheckListener;
    private boolean rememberAcceptedChains = true;
    private List<String> namedGroups = List.of();

    private Builder() {}

    /** A PEM file with one or more CAs; the usual way. */
    public Builder caBundle(Path file) {
      this.caBundle = Objects.requireNonNull(file);
      return this;
    }

    /** Also trust the JDK's system CAs (cacerts), for servers with public certificates. */
    public Builder systemTrustStore(boolean enabled) {
      this.systemTrustStore = enabled;
      return this;
    }

    /** Trust material already built: share one among thousands of identities. */
    public Builder trust(TrustMaterial trust) {
      this.trust = Objects.requireNonNull(trust);
      return this;
    }

    /** TLS versions by JSSE name (TLSv1.3, TLSv1.2) or plain (1.3, 1.2); 1.0 and 1.1 are refused. */
    public Builder versions(String... versions) {
      if (versions.length == 0) throw new IllegalArgumentException("at least one TLS version is needed");
      List<String> names = new java.util.ArrayList<>();
      for (String v : versions) {
        String name = v.startsWith("TLS") || v.startsWith("SSL") ? v : "TLSv" + v.trim();
        if (REFUSED_VERSIONS.contains(name)) {
          throw new IllegalArgumentException(name + " is not offered: it is broken; use TLSv1.2 or TLSv1.3");
        }
        if (!name.equals("TLSv1.2") && !name.equals("TLSv1.3")) {
          throw new IllegalArgumentException("unknown TLS version '" + v + "' (known: 1.2, 1.3)");
        }
        names.add(name);
      }
      this.versions = List.copyOf(names);
      return this;
    }

    /** TLS 1.2 alone: Cybus Connectware's broker speaks no 1.3. */
    public Builder tls12Only() {
      return versions("TLSv1.2");
    }

    public Builder cipherSuites(String... suites) {
      this.cipherSuites = List.of(suites);
      return this;
    }

    /**
     * Turns hostname verification off: any server with a certificate from a trusted CA is accepted,
     * whatever its name. For test set-ups only; logged as a warning.
     */
    public Builder insecureSkipHostnameVerification() {
      this.verifyHostname = false;
      return this;
    }

    /** Whether to send SNI (on by default, for host names). */
    public Builder sni(boolean send) {
      this.sendSni = send;
      return this;
    }

    /** Sends this SNI name instead of the host connected to. */
    public Builder sniHostName(String name) {
      this.sniHostName = name;
      this.sendSni = true;
      return this;
    }

    /**
     * Whether reconnects may resume the TLS session (on by default); off forces full handshakes,
     * except with Conscrypt under TLS 1.2: its cached sessions cannot be invalidated, so they resume.
     */
    public Builder sessionResumption(boolean enabled) {
      this.sessionResumption = enabled;
      return this;
    }

    public Builder provider(TlsProvider provider) {
      this.provider = Objects.requireNonNull(provider);
      return this;
    }

    /**
     * Told, on the handshaking thread, each time a thing checks the server's certificate: in every
     * full handshake and in no resumed one. For measuring resumption; keep it cheap.
     */
    public Builder onServerCertificateCheck(Runnable listener) {
      this.serverCheckListener = listener;
      return this;
    }

    /**
     * Whether a server chain the provider accepted is taken again, byte for byte the same, for the
     * same host, while every certificate in it is valid, without a new PKIX check (on by default).
     * The handshake still proves the server holds the key; what it saves is the PKIX path building
     * and constraint checks (measured: 3 % of a JDK client's full handshake, 6 % of Conscrypt's),
     * and for a fleet, one check per server instead of one per device and connect. Off: every
     * handshake checks the chain anew, as plain JSSE does.
     */
    public Builder rememberAcceptedChains(boolean enabled) {
      this.rememberAcceptedChains = enabled;
      return this;
    }

    /**
     * The key exchange groups to offer, in order (x25519, secp256r1, ...); none given: the
     * provider's defaults. The JDK's client sends a TLS 1.3 key share for its first group of each
     * kind, by default x25519 and secp256r1: two key pairs made per handshake, one of them thrown
     * away. Offering x25519 alone makes one (about 0.2 ms less client CPU with the JDK's P-256);
     * a server that speaks no x25519 then refuses the handshake. Conscrypt sends one share anyway,
     * and takes no groups: {@link #build} refuses groups with it.
     */
    public Builder namedGroups(String... groups) {
      List<String> names = new java.util.ArrayList<>();
      for (String group : groups) {
        String name = group.trim().toLowerCase(java.util.Locale.ROOT);
        if (!KNOWN_GROUPS.contains(name)) {
          throw new IllegalArgumentException("unknown key exchange group '" + group.trim() + "' (known: " + String.join(", ", KNOWN_GROUPS) + ")");
        }
        names.add(name);
      }
      this.namedGroups = List.copyOf(names);
      return this;
    }

    public TlsSettings build() {
      if (trust == null) {
        if (caBundle != null) {
          trust = TrustMaterial.fromBundle(caBundle);
          if (systemTrustStore) trust = trust.plus(TrustMaterial.systemTrustStore());
        } else if (systemTrustStore) {
          trust = TrustMaterial.systemTrustStore();
        } else {
          throw new IllegalArgumentException("no CA to trust: give a CA bundle (--ca) or the system trust store");
        }
      }
      provider.provider(); // fail now, in one line, when the provider is missing
      if (!namedGroups.isEmpty() && provider == TlsProvider.CONSCRYPT) {
        // It ignores SSLParameters' groups: the devices would offer its own, whatever was asked.
        throw new IllegalArgumentException("Conscrypt cannot be told its key exchange groups: offer groups with the JDK's TLS provider");
      }
      if (!verifyHostname && !HOSTNAME_WARNING_GIVEN.getAndSet(true)) { // once: a fleet builds its settings many times
        LOG.log(System.Logger.Level.WARNING, "TLS hostname verification is OFF: any server with a certificate from a trusted CA is accepted");
      }
      return new TlsSettings(this);
    }
  }
}
