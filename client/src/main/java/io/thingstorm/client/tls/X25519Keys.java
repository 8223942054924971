package io.thingstorm.client.tls;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * X25519 keys held as their 32 raw bytes (RFC 7748), shaped as the JDK's {@code XEC} key
 * interfaces so that the JDK's TLS, and the JDK's own key agreement, take them as they take theirs.
 */
final class X25519Keys {
  /** The DER prefixes of an X25519 SubjectPublicKeyInfo and PKCS#8 PrivateKeyInfo (RFC 8410), before the 32 bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

  private X25519Keys() {}

  static boolean isX25519(AlgorithmParameterSpec params) {
    return params instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase("X25519");
  }

  /** The u-coordinate of a public key as RFC 7748's 32 little-endian bytes. */
  static byte[] uBytes(XECPublicKey key) throws InvalidKeyException {
    BigInteger u = key.getU();
    if (u.signum() < 0 || u.bitLength() > 256) throw new InvalidKeyException("X25519 u-coordinate out of range");
    byte[] bigEndian = u.toByteArray();
    byte[] little = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) little[i] = bigEndian[bigEndian.length - 1 - i];
    return little;
  }

  private static byte[] der(byte[] prefix, byte[] raw) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, out, prefix.length, raw.length);
    return out;
  }

  static final class Public implements XECPublicKey {
    private final byte[] u;

    Public(byte[] u) {
      this.u = u;
    }

    @Override
    public BigInteger getU() {
      byte[] bigEndian = new byte[32];
      for (int i = 0; i < 32; i++) bigEndian[i] = u[31 - i];
      return new BigInteger(1, bigEndian);
    }

    @Override
    public AlgorithmParameterSpec getParams() {
      return NamedParameterSpec.X25519;
    }

    @Override
    public String getAlgorithm() {
      return "XDH";
    }

    @Override
    public String getFormat() {
      return "X.509";
    }

    @Override
    public byte[] getEncoded() {
      return der(SPKI_PREFIX, u);
    }
  }

  static final class Private implements XECPrivateKey {
    private final byte[] scalar;

    Private(byte[] scalar) {
      this.scalar = scalar;
    }

    byte[] scalar() {
      return scalar;
    }

    @Override
    public Optional<byte[]> getScalar() {
      return Optional.of(scalar.clone());
    }

    @Override
    public AlgorithmParameterSpec getParams() {
      return NamedParameterSpec.X25519;
    }

    @Override
    public String getAlgorithm() {
      return "XDH";
    }

    @Override
    public String getFormat() {
      return "PKCS#8";
    }

    @Override
    public byte[] getEncoded() {
      return der(PKCS8_PREFIX, scalar);
    }
  }
}
