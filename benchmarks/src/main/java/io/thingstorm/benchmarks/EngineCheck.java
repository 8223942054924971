package io.thingstorm.benchmarks;

import java.util.Arrays;
import javax.net.ssl.SSLSession;

/** Checks, once per trial, that a benchmark measures what its params say. */
final class EngineCheck {
  private EngineCheck() {}

  static void requireProtocol(SSLSession session, String protocol) {
    if (!session.getProtocol().equals(protocol)) {
      throw new IllegalStateException("negotiated " + session.getProtocol() + ", not " + protocol);
    }
  }

  /**
   * A resumed session keeps the first one's id (TLS 1.2) or its creation time (TLS 1.3's tickets
   * carry it): a session that has neither was a full handshake.
   */
  static void requireResumed(SSLSession first, SSLSession second, String what) {
    boolean sameId = first.getId().length > 0 && Arrays.equals(first.getId(), second.getId());
    boolean sameCreation = first.getCreationTime() == second.getCreationTime();
    if (!sameId && !sameCreation) {
      throw new IllegalStateException(what + ": the second handshake did not resume the first one's session");
    }
  }
}
