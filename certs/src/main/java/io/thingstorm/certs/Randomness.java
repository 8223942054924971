package io.thingstorm.certs;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One DRBG per thread. The default NativePRNG is a process-wide instance behind a lock, which bulk
 * issuing on several cores would queue on.
 */
final class Randomness {
  private static final ThreadLocal<SecureRandom> CURRENT = ThreadLocal.withInitial(() -> {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  });

  private Randomness() {}

  static SecureRandom current() {
    return CURRENT.get();
  }
}
