package io.thingstorm.client.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding one thing's key and chain, made straight from them (a PKCS12 key store
 * would encrypt the key with 10,000 hash rounds per device). It offers the certificate whatever CAs
 * the server names, so that a server that does not know the issuer says "unknown CA" instead of
 * "certificate required".
 */
final class ThingKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "thing";

  private final X509Certificate[] chain;
  private final PrivateKey key;
  private final String family;
  private final String curve;

  ThingKeyManager(X509Certificate[] chain, PrivateKey key) {
    this.chain = chain;
    this.key = key;
    this.family = family(key.getAlgorithm());
    this.curve = chain[0].getPublicKey() instanceof ECPublicKey ec ? curveName(ec) : null;
  }

  /**
   * JDK asks for "EC", "RSA", "RSASSA-PSS", "EdDSA" or TLS 1.2's "EC_EC"; Bouncy Castle JSSE for
   * "EC/secp256r1" and "Ed25519"; a manager matching only "EC" sends BCJSSE no certificate.
   */
  boolean suits(String keyType) {
    if (keyType == null) return false;
    String wantedCurve = null;
    String type = keyType;
    int slash = type.indexOf('/');
    if (slash >= 0) {
      wantedCurve = type.substring(slash + 1);
      type = type.substring(0, slash);
    }
    int underscore = type.indexOf('_');
    if (underscore >= 0) type = type.substring(0, underscore);
    if (!family(type).equals(family)) return false;
    return wantedCurve == null || curve == null || wantedCurve.equalsIgnoreCase(curve);
  }

  private static String family(String algorithm) {
    String a = algorithm.toUpperCase(Locale.ROOT);
    if (a.equals("EC") || a.equals("ECDSA")) return "EC";
    if (a.startsWith("RSA")) return "RSA";
    if (a.equals("ED25519") || a.equals("EDDSA")) return "ED25519";
    return a;
  }

  private static String curveName(ECPublicKey key) {
    return switch (key.getParams().getCurve().getField().getFieldSize()) {
      case 256 -> "secp256r1";
      case 384 -> "secp384r1";
      case 521 -> "secp521r1";
      default -> null;
    };
  }

  private String choose(String[] keyTypes) {
    if (keyTypes == null) return null;
    for (String keyType : keyTypes) {
      if (suits(keyType)) return ALIAS;
    }
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return suits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
