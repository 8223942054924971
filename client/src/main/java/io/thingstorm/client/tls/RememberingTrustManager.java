package io.thingstorm.client.tls;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server-certificate check that remembers the chains it has already accepted. A fleet handshakes
 * again and again with the same server, which shows the same chain each time; the provider's PKIX
 * check of that chain (a signature verification per certificate, and path building) then gives the
 * same answer each time. A chain is taken without a new check only when it is byte for byte one
 * the provider accepted, for the same host name, endpoint check, TLS version and key exchange, and
 * every certificate in it is still within its validity. The trust anchors are those of this
 * manager, which belongs to one {@link TrustMaterial}. The handshake still proves that the server
 * holds the chain's key (its CertificateVerify or key exchange signature is always verified), so
 * remembering costs no security; what is refused is never remembered, and is checked again each
 * time. Client certificates (a server's question) are always passed through.
 */
final class RememberingTrustManager extends ForwardingTrustManager {
  /** Chains remembered at most; a fleet talks to a handful of servers. Past it, start again. */
  static final int LIMIT = 256;

  private final Map<Key, Validity> accepted = new ConcurrentHashMap<>();
  private final LongAdder checks = new LongAdder();

  RememberingTrustManager(X509ExtendedTrustManager delegate) {
    super(delegate);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    Key key = socket instanceof SSLSocket ssl ? key(chain, authType, ssl.getHandshakeSession(), ssl.getSSLParameters()) : null;
    if (remembered(key)) return;
    checks.increment();
    delegate.checkServerTrusted(chain, authType, socket);
    remember(key, chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    Key key = engine != null ? key(chain, authType, engine.getHandshakeSession(), engine.getSSLParameters()) : null;
    if (remembered(key)) return;
    checks.increment();
    delegate.checkServerTrusted(chain, authType, engine);
    remember(key, chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    Key key = key(chain, authType, null, null);
    if (remembered(key)) return;
    checks.increment();
    delegate.checkServerTrusted(chain, authType);
    remember(key, chain);
  }

  /** How many chains are remembered now (for tests). */
  int remembered() {
    return accepted.size();
  }

  /** How many server chains were handed to the provider's check (for tests). */
  long checked() {
    return checks.sum();
  }

  private boolean remembered(Key key) {
    if (key == null) return false;
    Validity validity = accepted.get(key);
    if (validity == null) return false;
    long now = System.currentTimeMillis();
    if (now >= validity.notBefore && now <= validity.notAfter) return true;
    accepted.remove(key);
    return false;
  }

  private void remember(Key key, X509Certificate[] chain) {
    if (key == null) return;
    long notBefore = Long.MIN_VALUE;
    long notAfter = Long.MAX_VALUE;
    for (X509Certificate certificate : chain) {
      notBefore = Math.max(notBefore, certificate.getNotBefore().getTime());
      notAfter = Math.min(notAfter, certificate.getNotAfter().getTime());
    }
    if (accepted.size() >= LIMIT) accepted.clear();
    accepted.put(key, new Validity(notBefore, notAfter));
  }

  /**
   * What the provider's verdict depended on besides its trust anchors: the chain, the key exchange
   * (authType, which TLS 1.2 checks key usage against), the TLS version (its signature algorithm
   * constraints), and, when the endpoint is checked, the algorithm and the name it was checked
   * against. Null when the chain cannot be encoded: then it is always checked.
   */
  private static Key key(X509Certificate[] chain, String authType, SSLSession handshake, SSLParameters parameters) {
    if (chain == null || chain.length == 0) return null;
    try {
      int length = 0;
      byte[][] encoded = new byte[chain.length][];
      for (int i = 0; i < chain.length; i++) {
        encoded[i] = chain[i].getEncoded();
        length += encoded[i].length + 4;
      }
      ByteBuffer bytes = ByteBuffer.allocate(length);
      for (byte[] certificate : encoded) bytes.putInt(certificate.length).put(certificate);
      bytes.flip();
      String endpoint = parameters != null ? parameters.getEndpointIdentificationAlgorithm() : null;
      String protocol = handshake != null ? handshake.getProtocol() : null;
      String host = endpoint == null ? null : checkedName(handshake);
      return new Key(bytes, String.valueOf(authType), String.valueOf(protocol), String.valueOf(endpoint), String.valueOf(host));
    } catch (CertificateEncodingException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The names a provider may check the server's certificate against: the SNI host name (the JDK)
   * and the peer host (Conscrypt). Both are in the key.
   */
  private static String checkedName(SSLSession handshake) {
    if (handshake == null) return null;
    String sni = "";
    if (handshake instanceof ExtendedSSLSession extended) {
      List<SNIServerName> names = extended.getRequestedServerNames();
      if (names != null) {
        for (SNIServerName name : names) {
          if (name instanceof SNIHostName host) sni = host.getAsciiName();
        }
      }
    }
    return sni + "|" + handshake.getPeerHost() + ":" + handshake.getPeerPort();
  }

  private record Key(ByteBuffer chain, String authType, String protocol, String endpoint, String host) {
  }

  private record Validity(long notBefore, long notAfter) {
  }
}
