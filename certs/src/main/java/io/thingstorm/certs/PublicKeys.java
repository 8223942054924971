package io.thingstorm.certs;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/**
 * The public half of a private key, for a key that exists already: a CSR for a key made on the
 * device ({@code openssl req -new -key device.key}), as the Cybus guide does it. A private key file
 * need not carry its public key (PKCS#8 often does not), so it is computed from the private one.
 */
public final class PublicKeys {
  private PublicKeys() {}

  /** The key pair of {@code key}: RSA (CRT form, as every tool writes it), EC on P-256 or P-384, or Ed25519. */
  public static KeyPair pairOf(PrivateKey key) {
    return new KeyPair(of(key), key);
  }

  public static PublicKey of(PrivateKey key) {
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("XDH") || algorithm.startsWith("X25519") || algorithm.startsWith("X448")) {
      throw new CertsException("a " + algorithm + " key agrees on keys but cannot sign, so no certificate request can be made for it");
    }
    try {
      // Bouncy Castle's own key classes know their curve's arithmetic and their public half.
      PrivateKey bc = KeyFactory.getInstance(key.getAlgorithm(), BouncyCastle.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      if (bc instanceof RSAPrivateCrtKey rsa) {
        // The key's own algorithm identifier, as openssl keeps it: rsaEncryption, or id-RSASSA-PSS
        // with any restrictions, which a certificate for an RSA-PSS key must carry.
        AlgorithmIdentifier keyAlgorithm = PrivateKeyInfo.getInstance(key.getEncoded()).getPrivateKeyAlgorithm();
        byte[] info = new SubjectPublicKeyInfo(keyAlgorithm, new RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent())).getEncoded();
        return KeyFactory.getInstance("RSA", BouncyCastle.PROVIDER).generatePublic(new X509EncodedKeySpec(info));
      }
      if (bc instanceof ECPrivateKey ec) {
        ECParameterSpec curve = requireTlsCurve(ec.getParameters());
        return KeyFactory.getInstance("EC", BouncyCastle.PROVIDER)
            .generatePublic(new ECPublicKeySpec(curve.getG().multiply(ec.getD()).normalize(), curve));
      }
      if (bc instanceof EdDSAPrivateKey ed) return ed.getPublicKey();
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      if (e instanceof CertsException own) throw own;
      throw new CertsException("cannot compute the public key of this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
    throw new CertsException("cannot compute the public key of this " + key.getAlgorithm()
        + " key: thingstorm takes RSA (with its CRT values, as every tool writes it), EC on P-256 or P-384, and Ed25519");
  }

  /** P-256 or P-384, the curves thingstorm issues for; another curve would be labelled as one of them. */
  private static ECParameterSpec requireTlsCurve(ECParameterSpec curve) {
    for (String name : new String[] {"P-256", "P-384"}) {
      ECParameterSpec known = ECNamedCurveTable.getParameterSpec(name);
      if (known.getCurve().equals(curve.getCurve()) && known.getG().equals(curve.getG())) return curve;
    }
    String name = curve instanceof ECNamedCurveParameterSpec named ? named.getName() : "a curve of " + curve.getCurve().getFieldSize() + " bits";
    throw new CertsException("the key is on " + name + ", and thingstorm takes EC keys on P-256 or P-384 (prime256v1, secp384r1), "
        + "the curves TLS client certificates use");
  }
}
