package io.thingstorm.client.tls;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyPairGeneratorSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Faster key shares beneath the JDK's own TLS: X25519 by Bouncy Castle's RFC 7748 code and P-256
 * (secp256r1) by Conscrypt's BoringSSL, where the JDK does both in its own slower Java.
 *
 * <p>Why: a JDK client makes two TLS 1.3 key shares per handshake (x25519 and secp256r1) and one
 * agreement. SunEC takes about 265 µs for an X25519 key pair and agreement, Bouncy Castle about
 * 100; its P-256 key pair costs about as much again, which BoringSSL makes in a tenth of that. On a
 * fleet's MQTTS connect that was about a tenth of the client's CPU. The protocol stays the JDK's;
 * only these key operations move. X448 and the other curves stay with the JDK.
 *
 * <p>The JDK's TLS finds them through the JVM-wide provider list, so, as with
 * {@link ConscryptSignatures}, {@link #install()} is a JVM-wide choice.
 */
public final class KeyShares {
  /** The name the provider is registered under. */
  public static final String PROVIDER_NAME = "ThingstormKeyShares";

  private static final LongAdder X25519_AGREEMENTS = new LongAdder();
  private static final LongAdder P256_KEY_PAIRS = new LongAdder();

  private KeyShares() {}

  /** Puts the faster key shares first in this JVM; true when in place (now or already). */
  public static synchronized boolean install() {
    if (isInstalled()) return true;
    Provider conscrypt;
    try {
      conscrypt = TlsProvider.CONSCRYPT.provider();
    } catch (RuntimeException | LinkageError notHere) {
      conscrypt = null; // X25519 still moves; P-256 stays with the JDK
    }
    Security.insertProviderAt(new Shares(conscrypt), 1);
    return true;
  }

  /** Takes them out again: the JDK's own key shares from then on. */
  public static synchronized void uninstall() {
    Security.removeProvider(PROVIDER_NAME);
  }

  public static boolean isInstalled() {
    return Security.getProvider(PROVIDER_NAME) != null;
  }

  /** X25519 agreements made so far: shows that the TLS stack really used them. */
  public static long x25519Agreements() {
    return X25519_AGREEMENTS.sum();
  }

  /** P-256 key pair generators made so far (their keys by Conscrypt). */
  public static long p256KeyPairGenerators() {
    return P256_KEY_PAIRS.sum();
  }

  private static final class Shares extends Provider {
    Shares(Provider conscrypt) {
      super(PROVIDER_NAME, "1", "X25519 (Bouncy Castle) and P-256 (Conscrypt) key shares for the JDK's TLS");
      putService(new Service(this, "KeyPairGenerator", "XDH", X25519KeyPairs.class.getName(), null, null) {
        @Override
        public Object newInstance(Object parameter) {
          return new X25519KeyPairs();
        }
      });
      putService(new Service(this, "KeyAgreement", "XDH", X25519Agreement.class.getName(), null, null) {
        @Override
        public Object newInstance(Object parameter) {
          return new X25519Agreement();
        }
      });
      if (conscrypt == null) return;
      KeyPairGenerator p256;
      try {
        p256 = P256KeyPairs.sharedGenerator(conscrypt);
      } catch (java.security.GeneralSecurityException | RuntimeException notThere) {
        return; // P-256 stays with the JDK
      }
      putService(new Service(this, "KeyPairGenerator", "EC", P256KeyPairs.class.getName(), null, null) {
        @Override
        public Object newInstance(Object parameter) {
          P256_KEY_PAIRS.increment();
          return new P256KeyPairs(p256);
        }
      });
      Provider.Service ecdh = conscrypt.getService("KeyAgreement", "ECDH");
      if (ecdh != null) putService(new BorrowedService(this, ecdh, null));
    }
  }

  /** X25519 key pairs by Bouncy Castle; X448 asked for is handed to the JDK's generator. */
  static final class X25519KeyPairs extends KeyPairGeneratorSpi {
    // The JDK's TLS makes a generator per handshake and hands it its own SecureRandom: one made
    // here per generator cost as much as a tenth of the key pair.
    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();
    private SecureRandom random = DEFAULT_RANDOM;
    private KeyPairGenerator other;

    @Override
    public void initialize(int keysize, SecureRandom random) {
      try {
        initialize(keysize == 255 ? NamedParameterSpec.X25519 : keysize == 448 ? NamedParameterSpec.X448 : null, random);
      } catch (InvalidAlgorithmParameterException e) {
        throw new java.security.InvalidParameterException("XDH key size " + keysize + ": " + e.getMessage());
      }
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
      other = null;
      if (X25519Keys.isX25519(params)) {
        if (random != null) this.random = random;
        return;
      }
      try {
        other = KeyPairGenerator.getInstance("XDH", "SunEC");
      } catch (java.security.GeneralSecurityException e) {
        throw new InvalidAlgorithmParameterException(e);
      }
      other.initialize(params, random);
    }

    @Override
    public KeyPair generateKeyPair() {
      if (other != null) return other.generateKeyPair();
      byte[] scalar = new byte[X25519.SCALAR_SIZE];
      X25519.generatePrivateKey(random, scalar);
      byte[] u = new byte[X25519.POINT_SIZE];
      X25519.generatePublicKey(scalar, 0, u, 0);
      return new KeyPair(new X25519Keys.Public(u), new X25519Keys.Private(scalar));
    }
  }

  /** X25519 agreement by Bouncy Castle, for any X25519 key; other XDH keys go to the JDK's. */
  static final class X25519Agreement extends KeyAgreementSpi {
    private byte[] scalar;
    private byte[] secret;
    private KeyAgreement other;

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
      secret = null;
      if (key instanceof XECPrivateKey xec && X25519Keys.isX25519(xec.getParams()) && xec.getScalar().isPresent()) {
        scalar = xec.getScalar().get();
        other = null;
      } else {
        try {
          other = KeyAgreement.getInstance("XDH", "SunEC");
        } catch (java.security.GeneralSecurityException e) {
          throw new InvalidKeyException("XDH: " + e.getMessage(), e);
        }
        other.init(key, random);
        scalar = null;
      }
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      if (params != null && !(params instanceof NamedParameterSpec)) {
        throw new InvalidAlgorithmParameterException("XDH takes a NamedParameterSpec");
      }
      engineInit(key, random);
    }

    @Override
    protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
      if (other != null) return other.doPhase(key, lastPhase);
      if (scalar == null) throw new IllegalStateException("not initialised");
      if (!lastPhase) throw new IllegalStateException("XDH has only one phase");
      if (!(key instanceof XECPublicKey peer) || !X25519Keys.isX25519(peer.getParams())) {
        throw new InvalidKeyException("an X25519 public key is needed, not " + (key == null ? null : key.getAlgorithm()));
      }
      byte[] shared = new byte[X25519.POINT_SIZE];
      // RFC 7748 section 6.1: a peer key of small order gives all zeros, which must be refused.
      if (!X25519.calculateAgreement(scalar, 0, X25519Keys.uBytes(peer), 0, shared, 0)) {
        throw new InvalidKeyException("X25519 agreement gave all zeros: the peer's key is of small order");
      }
      X25519_AGREEMENTS.increment();
      secret = shared;
      return null;
    }

    private byte[] takeSecret() {
      if (secret == null) throw new IllegalStateException("key agreement has not been completed");
      byte[] out = secret;
      secret = null;
      return out;
    }

    @Override
    protected byte[] engineGenerateSecret() {
      return other != null ? other.generateSecret() : takeSecret();
    }

    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
      if (other != null) return other.generateSecret(sharedSecret, offset);
      if (secret != null && sharedSecret.length - offset < secret.length) throw new ShortBufferException("needs " + secret.length + " bytes");
      byte[] out = takeSecret();
      System.arraycopy(out, 0, sharedSecret, offset, out.length);
      Arrays.fill(out, (byte) 0);
      return out.length;
    }

    @Override
    protected SecretKey engineGenerateSecret(String algorithm) throws NoSuchAlgorithmException, InvalidKeyException {
      if (other != null) return other.generateSecret(algorithm);
      if (algorithm == null) throw new NoSuchAlgorithmException("no algorithm given");
      return new SecretKeySpec(takeSecret(), algorithm);
    }
  }
}
