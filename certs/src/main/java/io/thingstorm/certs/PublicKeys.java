package io.thingstorm.certs;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * The public half of a private key, for a key that exists already: a CSR for a key made on the
 * device ({@code openssl req -new -key device.key}), as the Cybus guide does it. A private key file
 * need not carry its public key (PKCS#8 often does not), so it is computed from the private one.
 */
public final class PublicKeys {
  private PublicKeys() {}

  /** The key pair of {@code key}: RSA (CRT form, as every tool writes it), EC or Ed25519. */
  public static KeyPair pairOf(PrivateKey key) {
    return new KeyPair(of(key), key);
  }

  public static PublicKey of(PrivateKey key) {
    try {
      // Bouncy Castle's own key classes know their curve's arithmetic and their public half.
      PrivateKey bc = KeyFactory.getInstance(key.getAlgorithm(), BouncyCastle.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      if (bc instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA", BouncyCastle.PROVIDER)
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (bc instanceof ECPrivateKey ec) {
        ECParameterSpec curve = ec.getParameters();
        return KeyFactory.getInstance("EC", BouncyCastle.PROVIDER)
            .generatePublic(new ECPublicKeySpec(curve.getG().multiply(ec.getD()).normalize(), curve));
      }
      if (bc instanceof EdDSAPrivateKey ed) return ed.getPublicKey();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CertsException("cannot compute the public key of this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
    throw new CertsException("cannot compute the public key of this " + key.getAlgorithm()
        + " key: RSA keys without their CRT values, and key types other than RSA, EC and Ed25519, are not supported");
  }
}
