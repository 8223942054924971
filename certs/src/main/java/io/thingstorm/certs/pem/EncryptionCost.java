package io.thingstorm.certs.pem;

import io.thingstorm.certs.CertsException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Refuses an encrypted key whose password hashing would take minutes or gigabytes before the
 * password could even be found wrong: the rounds and the scrypt memory are written in the key file
 * itself, so a damaged or hostile file chooses them. Bouncy Castle allows 10 million PBKDF2 rounds,
 * about 30 s of CPU per key here.
 */
final class EncryptionCost {
  /** OpenSSL writes 2,048 rounds, Java's PKCS#12 10,000; OWASP asks for up to 1.3 million. */
  static final int MAX_ROUNDS = 2_000_000;
  /** OpenSSL's own limit for scrypt-encrypted keys: 128 * N * r bytes. */
  static final long MAX_SCRYPT_BYTES = 32L << 20;
  static final int MAX_SCRYPT_PARALLEL = 16;

  private EncryptionCost() {}

  static void check(AlgorithmIdentifier algorithm, String source) {
    try {
      if (PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
        KeyDerivationFunc kdf = PBES2Parameters.getInstance(algorithm.getParameters()).getKeyDerivationFunc();
        if (PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
          rounds(PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount(), source);
        } else if (MiscObjectIdentifiers.id_scrypt.equals(kdf.getAlgorithm())) {
          scrypt(ScryptParams.getInstance(kdf.getParameters()), source);
        }
      } else if (algorithm.getParameters() instanceof ASN1Sequence pbe && pbe.size() == 2
          && pbe.getObjectAt(1) instanceof ASN1Integer count) {
        // PKCS#5 v1.5 and PKCS#12 password-based encryption: SEQUENCE { salt, iterations }.
        rounds(count.getValue(), source);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CertsException(source + " holds a damaged encrypted key (its encryption parameters do not parse)", e);
    }
  }

  private static void rounds(BigInteger rounds, String source) {
    if (rounds.signum() <= 0 || rounds.compareTo(BigInteger.valueOf(MAX_ROUNDS)) > 0) {
      throw new CertsException(source + " is encrypted with " + rounds + " password hashing rounds; "
          + "more than " + MAX_ROUNDS + " are refused (re-encrypt it, e.g. openssl pkcs8 -topk8 -v2 aes-256-cbc)");
    }
  }

  private static void scrypt(ScryptParams params, String source) {
    BigInteger bytes = params.getCostParameter().multiply(params.getBlockSize()).shiftLeft(7);
    if (params.getCostParameter().signum() <= 0 || params.getBlockSize().signum() <= 0
        || bytes.compareTo(BigInteger.valueOf(MAX_SCRYPT_BYTES)) > 0
        || params.getParallelizationParameter().signum() <= 0
        || params.getParallelizationParameter().compareTo(BigInteger.valueOf(MAX_SCRYPT_PARALLEL)) > 0) {
      throw new CertsException(source + " is encrypted with scrypt costs (N " + params.getCostParameter() + ", r "
          + params.getBlockSize() + ", p " + params.getParallelizationParameter() + ") beyond "
          + (MAX_SCRYPT_BYTES >> 20) + " MiB and p " + MAX_SCRYPT_PARALLEL + "; re-encrypt it with lower ones");
    }
  }
}
