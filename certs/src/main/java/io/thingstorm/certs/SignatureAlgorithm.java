package io.thingstorm.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The signature a key makes on the certificates and CSRs it signs: its key type's, except for an
 * RSA-PSS key ({@code id-RSASSA-PSS}, as {@code openssl genpkey -algorithm RSA-PSS} makes it), which
 * may sign only with PSS, and with the hash and salt length its own parameters fix when it has any.
 * openssl refuses a PKCS#1 v1.5 signature from such a key, and a certificate for it that says
 * {@code rsaEncryption}.
 */
record SignatureAlgorithm(String name, AlgorithmIdentifier restrictedPss, PSSParameterSpec parameters) {
  /** PSS with SHA-256 and MGF1-SHA-256, salt of 32 bytes: openssl's choice for a PSS key with no parameters. */
  private static final SignatureAlgorithm PSS_SHA256 = new SignatureAlgorithm("SHA256withRSAandMGF1", null, null);

  static SignatureAlgorithm of(Key key, KeyType type) {
    AlgorithmIdentifier algorithm = algorithmOf(key);
    if (algorithm == null || !algorithm.getAlgorithm().equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      return new SignatureAlgorithm(type.signatureAlgorithm(), null, null);
    }
    if (algorithm.getParameters() == null) return PSS_SHA256;
    try {
      return new SignatureAlgorithm("RSASSA-PSS", algorithm, pssParameters(algorithm));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new CertsException("cannot read this RSA-PSS key's parameters: " + e.getMessage(), e);
    }
  }

  /** The hash, MGF, salt length and trailer of a PSS algorithm identifier, read by the JDK. */
  private static PSSParameterSpec pssParameters(AlgorithmIdentifier algorithm) throws GeneralSecurityException, IOException {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
    parameters.init(algorithm.getParameters().toASN1Primitive().getEncoded(ASN1Encoding.DER));
    return parameters.getParameterSpec(PSSParameterSpec.class);
  }

  /** Whether the key is an RSA-PSS key: it only signs, so a certificate for it asks for no key encipherment. */
  static boolean isRsaPss(Key key) {
    AlgorithmIdentifier algorithm = algorithmOf(key);
    return algorithm != null && algorithm.getAlgorithm().equals(PKCSObjectIdentifiers.id_RSASSA_PSS);
  }

  /** The algorithm identifier of a key's PKCS#8 or SubjectPublicKeyInfo encoding; null for a key that has none. */
  private static AlgorithmIdentifier algorithmOf(Key key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null) return null;
    return key instanceof PrivateKey
        ? PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm()
        : SubjectPublicKeyInfo.getInstance(encoded).getAlgorithm();
  }

  ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    if (restrictedPss == null) {
      return new JcaContentSignerBuilder(name).setProvider(BouncyCastle.PROVIDER).setSecureRandom(Randomness.current()).build(key);
    }
    // Bouncy Castle's builder names PSS signatures by their hashes and has no name for openssl's
    // default restriction (SHA-256, MGF1 with SHA-1), so the key's own parameters are used as they are.
    Signature signature;
    try {
      signature = newSignature();
      signature.initSign(key, Randomness.current());
    } catch (GeneralSecurityException e) {
      throw new OperatorCreationException("cannot sign with this RSA-PSS key: " + e.getMessage(), e);
    }
    return new PssSigner(signature, restrictedPss);
  }

  /** Signs with a restricted RSA-PSS key, naming the key's own parameters as the signature's. */
  private record PssSigner(Signature signature, AlgorithmIdentifier algorithm) implements ContentSigner {
    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          try {
            signature.update(bytes, offset, length);
          } catch (SignatureException e) {
            throw new IOException(e);
          }
        }
      };
    }

    @Override
    public byte[] getSignature() {
      try {
        return signature.sign();
      } catch (SignatureException e) {
        throw new CertsException("cannot sign with this RSA-PSS key: " + e.getMessage(), e);
      }
    }
  }

  Signature newSignature() throws GeneralSecurityException {
    // The JDK's RSASSA-PSS takes any hash and MGF pair; Bouncy Castle's wants both the same.
    Signature signature = parameters == null
        ? Signature.getInstance(name, BouncyCastle.PROVIDER)
        : Signature.getInstance(name);
    if (parameters != null) signature.setParameter(parameters);
    return signature;
  }

  /**
   * Whether {@code signature} is a valid RSA-PSS signature of {@code data} under the given signature
   * algorithm, checked by the JDK; false for any other algorithm. Bouncy Castle's verifiers have no
   * name for a PSS signature whose MGF hash differs from its message hash.
   */
  static boolean verifiesPss(AlgorithmIdentifier algorithm, PublicKey key, byte[] data, byte[] signature) {
    if (!algorithm.getAlgorithm().equals(PKCSObjectIdentifiers.id_RSASSA_PSS) || algorithm.getParameters() == null) return false;
    try {
      Signature verifier = Signature.getInstance("RSASSA-PSS");
      verifier.setParameter(pssParameters(algorithm));
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return false;
    }
  }
}
