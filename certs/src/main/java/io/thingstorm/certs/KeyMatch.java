package io.thingstorm.certs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a private key belongs to a certificate: it signs a probe that the certificate's public key
 * must verify. Works for every key type alike, unlike comparing key parameters. An RSA-PSS key and a
 * certificate that calls its key {@code rsaEncryption} do not match, as openssl has it.
 */
public final class KeyMatch {
  private static final byte[] PROBE = "thingstorm key match probe".getBytes(StandardCharsets.US_ASCII);

  private KeyMatch() {}

  public static boolean matches(X509Certificate certificate, PrivateKey key) {
    PublicKey publicKey = certificate.getPublicKey();
    KeyType type;
    try {
      type = KeyType.of(publicKey);
    } catch (CertsException e) {
      return false;
    }
    if (!sameFamily(type, key) || SignatureAlgorithm.isRsaPss(publicKey) != SignatureAlgorithm.isRsaPss(key)) return false;
    try {
      SignatureAlgorithm algorithm = SignatureAlgorithm.of(publicKey, type);
      Signature signer = algorithm.newSignature();
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = algorithm.newSignature();
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean sameFamily(KeyType type, PrivateKey key) {
    String algorithm = key.getAlgorithm();
    if (type.isRsa()) return algorithm.equals("RSA") || algorithm.equals("RSASSA-PSS");
    if (type.isEc()) return algorithm.equals("EC") || algorithm.equals("ECDSA");
    return algorithm.equals("Ed25519") || algorithm.equals("EdDSA");
  }

  /** Fails with a message naming the certificate when the key does not belong to it. */
  public static void require(CertifiedKey key) {
    if (!matches(key.certificate(), key.privateKey())) {
      throw new CertsException("the private key does not match the certificate " + Subjects.describeForOutput(key.certificate()));
    }
  }
}
