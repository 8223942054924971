package io.thingstorm.client.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.concurrent.atomic.LongAdder;

/**
 * Another provider's service offered under one of ours, so that only that service comes first in
 * the JVM's list and nothing else of the other provider's does. Counts the objects it makes in
 * {@code made} (when given one), to show that the JDK's TLS really used it.
 */
final class BorrowedService extends Provider.Service {
  private final Provider.Service real;
  private final LongAdder made;

  BorrowedService(Provider owner, Provider.Service real, LongAdder made) {
    super(owner, real.getType(), real.getAlgorithm(), real.getClassName(), null, null);
    this.real = real;
    this.made = made;
  }

  @Override
  public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
    if (made != null) made.increment();
    return real.newInstance(parameter);
  }

  @Override
  public boolean supportsParameter(Object key) {
    return real.supportsParameter(key);
  }
}
