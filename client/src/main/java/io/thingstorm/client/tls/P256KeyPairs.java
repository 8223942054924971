package io.thingstorm.client.tls;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * P-256 key pairs by Conscrypt's BoringSSL for the JDK's TLS key shares; other curves are handed to
 * the JDK's generator. One Conscrypt generator, set up once, serves every key: set up per key share,
 * as the JDK's TLS asks, Conscrypt matched the curve by printing its numbers in decimal and looked
 * the curve up natively, and each public key rebuilt the curve's parameters from BoringSSL when the
 * JDK asked for them to encode the point. Together those cost twice the key generation itself. The
 * public key given out carries its point and the curve's parameters already.
 */
final class P256KeyPairs extends KeyPairGeneratorSpi {
  /** P-256 as the JDK describes it; what the JDK's TLS asks for, by value. */
  static final ECParameterSpec P256 = jdkSpec();

  private final KeyPairGenerator shared;
  private KeyPairGenerator other;

  /** @param shared a Conscrypt EC generator already set up for P-256, safe to share across threads */
  P256KeyPairs(KeyPairGenerator shared) {
    this.shared = shared;
  }

  /** Conscrypt's generator for P-256; it keeps only the curve, so threads may share it. */
  static KeyPairGenerator sharedGenerator(Provider conscrypt) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", conscrypt);
    g.initialize(P256);
    return g;
  }

  static boolean isP256(AlgorithmParameterSpec params) {
    if (params instanceof ECGenParameterSpec named) {
      String n = named.getName();
      return n.equalsIgnoreCase("secp256r1") || n.equalsIgnoreCase("P-256") || n.equals("1.2.840.10045.3.1.7");
    }
    return params instanceof ECParameterSpec ec
        && (ec == P256
            || (ec.getCofactor() == P256.getCofactor() && ec.getOrder().equals(P256.getOrder())
                && ec.getCurve().equals(P256.getCurve()) && ec.getGenerator().equals(P256.getGenerator())));
  }

  // BoringSSL draws on its own random source, as Conscrypt's generator always does: a P-256 key
  // ignores the one given.

  @Override
  public void initialize(int keysize, SecureRandom random) {
    other = keysize == 256 ? null : jdkGenerator();
    if (other != null) other.initialize(keysize, random);
  }

  @Override
  public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
    other = isP256(params) ? null : jdkGenerator();
    if (other != null && params != null) other.initialize(params, random);
  }

  private static KeyPairGenerator jdkGenerator() {
    try {
      return KeyPairGenerator.getInstance("EC", "SunEC");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC key pair generator", e);
    }
  }

  @Override
  public KeyPair generateKeyPair() {
    if (other != null) return other.generateKeyPair();
    KeyPair made = shared.generateKeyPair();
    return new KeyPair(new Public((ECPublicKey) made.getPublic()), made.getPrivate());
  }

  /** Conscrypt's public key with its point read out once and the curve's parameters shared. */
  static final class Public implements ECPublicKey {
    private final ECPublicKey conscrypt;
    private final ECPoint w;

    Public(ECPublicKey conscrypt) {
      this.conscrypt = conscrypt;
      this.w = conscrypt.getW();
    }

    @Override
    public ECPoint getW() {
      return w;
    }

    @Override
    public ECParameterSpec getParams() {
      return P256;
    }

    @Override
    public String getAlgorithm() {
      return "EC";
    }

    @Override
    public String getFormat() {
      return "X.509";
    }

    @Override
    public byte[] getEncoded() {
      return conscrypt.getEncoded();
    }
  }

  private static ECParameterSpec jdkSpec() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC", "SunEC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no P-256", e);
    }
  }
}
