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

  /** What both keys are: 32 raw bytes of X25519, in the DER form RFC 8410 gives them. */
  private abstract static class Raw implements java.security.interfaces.XECKey, java.security.Key {
    final byte[] bytes;
    private final byte[] derPrefix;

    Raw(byte[] bytes, byte[] derPrefix) {
      this.bytes = bytes;
      this.derPrefix = derPrefix;
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
    public byte[] getEncoded() {
      return der(derPrefix, bytes);
    }
  }

  static final class Public extends Raw implements XECPublicKey {
    Public(byte[] u) {
      super(u, SPKI_PREFIX);
    }

    @Override
    public BigInteger getU() {
      byte[] bigEndian = new byte[32];
      for (int i = 0; i < 32; i++) bigEndian[i] = bytes[31 - i];
      return new BigInteger(1, bigEndian);
    }

    @Override
    public String getFormat() {
      return "X.509";
    }
  }

  static final class Private extends Raw implements XECPrivateKey {
    Private(byte[] scalar) {
      super(scalar, PKCS8_PREFIX);
    }

    @Override
    public Optional<byte[]> getScalar() {
      return Optional.of(bytes.clone());
    }

    @Override
    public String getFormat() {
      return "PKCS#8";
    }
  }
}
