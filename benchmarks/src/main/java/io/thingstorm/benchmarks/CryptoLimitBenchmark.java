package io.thingstorm.benchmarks;

import io.thingstorm.certs.KeyType;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The crypto operations one handshake is made of, one at a time: the lower bound of a handshake.
 * In a TLS 1.3 mutual handshake each side makes one ephemeral key pair and one agreement
 * ({@code ecdhe}), one signature (its CertificateVerify: {@code sign}) and two verifications (the
 * peer's certificate by the CA, and the peer's CertificateVerify: {@code verify}). So per side:
 * ecdhe + sign + 2 x verify, for the whole handshake twice that.
 *
 * <p>Reading the figure: microseconds per operation on one thread. {@code ResultsTable} adds them up
 * per key type and divides {@link HandshakeBenchmark}'s figure by the sum: the handshake's ratio to
 * its crypto. Signatures are TLS 1.3's: ECDSA with SHA-256 (P-256) or SHA-384 (P-384), RSASSA-PSS
 * with SHA-256, Ed25519, over a 130-byte message (the CertificateVerify input's size). Providers: the
 * JDK's (SunEC, SunRsaSign), Bouncy Castle, Conscrypt (BoringSSL; it offers neither Ed25519 nor
 * X25519 through the JCA: those pairs fail in setup, in one line, and ResultsTable counts
 * Conscrypt's client ECDHE with its P-256, an upper estimate since BoringSSL's X25519 is cheaper). OpenSSL's figures for the same operations come from {@code openssl speed} in bin/bench.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CryptoLimitBenchmark {

  /** One side's key exchange: a fresh key pair and its agreement with the peer's public key. */
  @State(Scope.Thread)
  public static class Ecdhe {
    @Param({"X25519", "P-256"})
    public String group;

    @Param({"JDK", "BC", "CONSCRYPT", "KEYSHARES"})
    public String kexProvider;

    KeyPairGenerator generator;
    String agreementAlgorithm;
    Provider provider;
    PublicKey peer;

    @Setup
    public void setUp() throws GeneralSecurityException {
      provider = CryptoProviders.parse(kexProvider);
      switch (group) {
        case "X25519" -> {
          if (provider != null && provider.getName().equals("Conscrypt")) {
            throw new IllegalArgumentException("Conscrypt 2.5 offers no X25519 through the JCA (its TLS uses BoringSSL's own): leave this pair out");
          }
          generator = generator("X25519", "XDH");
          agreementAlgorithm = provider != null && provider.getService("KeyAgreement", "X25519") == null ? "XDH" : "X25519";
        }
        case "P-256" -> {
          generator = generator("EC", "EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"));
          agreementAlgorithm = "ECDH";
        }
        default -> throw new IllegalArgumentException("group is X25519 or P-256, not " + group);
      }
      peer = generator.generateKeyPair().getPublic();
      agree(this); // fails here, in one line, when the provider lacks the group
    }

    private KeyPairGenerator generator(String name, String alternative) throws GeneralSecurityException {
      try {
        return provider == null ? KeyPairGenerator.getInstance(name) : KeyPairGenerator.getInstance(name, provider);
      } catch (GeneralSecurityException e) {
        return provider == null ? KeyPairGenerator.getInstance(alternative) : KeyPairGenerator.getInstance(alternative, provider);
      }
    }
  }

  /** One signer: a key of the type, as the provider's own key objects, and a message. */
  @State(Scope.Thread)
  public static class Signer {
    @Param({"ec-p256", "ec-p384", "rsa-2048", "rsa-4096", "ed25519"})
    public String keyType;

    @Param({"JDK", "BC", "CONSCRYPT"})
    public String provider;

    KeyPair keys;
    Signature signer;
    Signature verifier;
    final byte[] message = new byte[130];
    byte[] signature;

    @Setup
    public void setUp() throws GeneralSecurityException {
      Provider jca = CryptoProviders.parse(provider);
      KeyType type = KeyType.parse(keyType);
      if (jca != null && jca.getName().equals("Conscrypt") && type == KeyType.ED25519) {
        throw new IllegalArgumentException("Conscrypt 2.5 has no Ed25519: leave this pair out");
      }
      keys = CryptoProviders.nativeKeys(type.generate(), jca);
      new Random(7).nextBytes(message);
      signer = tls13Signature(type, jca);
      verifier = tls13Signature(type, jca);
      signature = signOnce(this);
      verifier.initVerify(keys.getPublic());
      verifier.update(message);
      if (!verifier.verify(signature)) throw new IllegalStateException(provider + " " + keyType + ": the signature does not verify");
    }

    private static Signature tls13Signature(KeyType type, Provider jca) throws GeneralSecurityException {
      if (type.isRsa()) {
        try {
          Signature pss = jca == null ? Signature.getInstance("RSASSA-PSS") : Signature.getInstance("RSASSA-PSS", jca);
          pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          return pss;
        } catch (GeneralSecurityException noPssWithParameters) { // Conscrypt names it by its digest
          return Signature.getInstance("SHA256withRSA/PSS", jca);
        }
      }
      String algorithm = switch (type) {
        case EC_P256 -> "SHA256withECDSA";
        case EC_P384 -> "SHA384withECDSA";
        case ED25519 -> "Ed25519";
        default -> throw new IllegalArgumentException("no TLS 1.3 signature for " + type);
      };
      return jca == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, jca);
    }
  }

  @Benchmark
  public byte[] ecdhe(Ecdhe state) throws GeneralSecurityException {
    return agree(state);
  }

  @Benchmark
  public byte[] sign(Signer state) throws GeneralSecurityException {
    return signOnce(state);
  }

  @Benchmark
  public boolean verify(Signer state) throws GeneralSecurityException {
    state.verifier.initVerify(state.keys.getPublic());
    state.verifier.update(state.message);
    return state.verifier.verify(state.signature);
  }

  private static byte[] agree(Ecdhe state) throws GeneralSecurityException {
    KeyPair mine = state.generator.generateKeyPair();
    KeyAgreement agreement = state.provider == null
        ? KeyAgreement.getInstance(state.agreementAlgorithm)
        : KeyAgreement.getInstance(state.agreementAlgorithm, state.provider);
    agreement.init(mine.getPrivate());
    agreement.doPhase(state.peer, true);
    return agreement.generateSecret();
  }

  private static byte[] signOnce(Signer state) throws GeneralSecurityException {
    state.signer.initSign(state.keys.getPrivate());
    state.signer.update(state.message);
    return state.signer.sign();
  }
}
