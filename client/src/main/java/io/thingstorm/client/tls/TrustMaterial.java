package io.thingstorm.client.tls;

import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.pem.Pem;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs a thing trusts servers by: a PEM bundle (several CAs in one file, as Cybus's
 * {@code cybus_ca.crt} with a custom CA appended), optionally the system trust store too. Built
 * once and shared by every identity: the trust manager per provider is made on first use.
 */
public final class TrustMaterial {
  private final List<X509Certificate> authorities;
  private final Map<TlsProvider, X509TrustManager> managers = new EnumMap<>(TlsProvider.class);
  private final Map<TlsProvider, X509TrustManager> remembering = new EnumMap<>(TlsProvider.class);

  private TrustMaterial(List<X509Certificate> authorities) {
    if (authorities.isEmpty()) throw new IllegalArgumentException("no CA to trust: give a CA bundle or the system trust store");
    this.authorities = List.copyOf(authorities);
  }

  /** Every CA in a PEM file. */
  public static TrustMaterial fromBundle(Path caBundle) {
    return of(Pem.readCertificates(caBundle), false);
  }

  public static TrustMaterial of(List<X509Certificate> authorities, boolean withSystemTrustStore) {
    List<X509Certificate> all = new ArrayList<>(authorities);
    if (withSystemTrustStore) all.addAll(systemAuthorities());
    return new TrustMaterial(all);
  }

  /** The JDK's own trust store (cacerts) alone. */
  public static TrustMaterial systemTrustStore() {
    return new TrustMaterial(systemAuthorities());
  }

  public List<X509Certificate> authorities() {
    return authorities;
  }

  /** This material and the CAs of another, such as a bundle plus the system store. */
  public TrustMaterial plus(TrustMaterial other) {
    List<X509Certificate> all = new ArrayList<>(authorities);
    all.addAll(other.authorities);
    return new TrustMaterial(all);
  }

  /** The trust manager of the provider (its own "PKIX" one: Conscrypt needs that). */
  public synchronized X509TrustManager trustManager(TlsProvider provider) {
    return managers.computeIfAbsent(provider, this::build);
  }

  /**
   * The provider's trust manager behind one that remembers the server chains it accepted, shared by
   * every identity of this material: a fleet checks a server's chain once, not once per handshake
   * (see {@link TlsSettings.Builder#rememberAcceptedChains}).
   */
  public synchronized X509TrustManager rememberingTrustManager(TlsProvider provider) {
    return remembering.computeIfAbsent(provider, p -> trustManager(p) instanceof X509ExtendedTrustManager extended
        ? new RememberingTrustManager(extended)
        : trustManager(p));
  }

  private X509TrustManager build(TlsProvider provider) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : authorities) store.setCertificateEntry("ca-" + n++, ca);
      TrustManagerFactory factory = provider.provider() == null
          ? TrustManagerFactory.getInstance("PKIX")
          : TrustManagerFactory.getInstance("PKIX", provider.provider());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) return x509;
      }
      throw new IllegalStateException(provider + " has no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertsException("cannot build the trust store for " + provider + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> systemAuthorities() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) return List.of(x509.getAcceptedIssuers());
      }
      return List.of();
    } catch (GeneralSecurityException e) {
      throw new CertsException("cannot read the system trust store: " + e.getMessage(), e);
    }
  }
}
