package io.thingstorm.client;

import io.thingstorm.certs.KeyMatch;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Whether a private key belongs to a certificate, cheaply enough to run for ten thousand devices:
 * an RSA key must share the certificate's modulus and exponent; an EC key's scalar times the
 * curve's generator must be the certificate's point (one fixed-base multiplication, against a
 * sign-and-verify probe's three). Other keys fall back to the probe.
 */
final class KeyPairCheck {
  private KeyPairCheck() {}

  static boolean matches(X509Certificate certificate, PrivateKey key) {
    PublicKey publicKey = certificate.getPublicKey();
    if (publicKey instanceof RSAPublicKey rsa && key instanceof RSAPrivateCrtKey rsaKey) {
      return rsa.getModulus().equals(rsaKey.getModulus()) && rsa.getPublicExponent().equals(rsaKey.getPublicExponent());
    }
    if (publicKey instanceof ECPublicKey ec && key instanceof ECPrivateKey ecKey) {
      X9ECParameters curve = curve(ec);
      if (curve == null) return KeyMatch.matches(certificate, key);
      if (!curve.getN().equals(ecKey.getParams().getOrder())) return false;
      BigInteger scalar = ecKey.getS();
      if (scalar.signum() <= 0 || scalar.compareTo(curve.getN()) >= 0) return false;
      ECPoint point = new FixedPointCombMultiplier().multiply(curve.getG(), scalar).normalize();
      return point.getAffineXCoord().toBigInteger().equals(ec.getW().getAffineX())
          && point.getAffineYCoord().toBigInteger().equals(ec.getW().getAffineY());
    }
    return KeyMatch.matches(certificate, key);
  }

  /** The curve by its parameters; BC caches each one, and with it the generator's precomputation. */
  private static X9ECParameters curve(ECPublicKey key) {
    String name = switch (key.getParams().getCurve().getField().getFieldSize()) {
      case 256 -> "secp256r1";
      case 384 -> "secp384r1";
      case 521 -> "secp521r1";
      default -> null;
    };
    if (name == null) return null;
    X9ECParameters curve = CustomNamedCurves.getByName(name);
    return curve != null && curve.getN().equals(key.getParams().getOrder()) ? curve : null;
  }
}
