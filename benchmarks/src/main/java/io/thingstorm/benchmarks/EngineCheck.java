package io.thingstorm.benchmarks;

import javax.net.ssl.SSLSession;

/** Checks, once per trial, that a benchmark measures what its params say. */
final class EngineCheck {
  private EngineCheck() {}

  static void requireProtocol(SSLSession session, String protocol) {
    if (!session.getProtocol().equals(protocol)) {
      throw new IllegalStateException("negotiated " + session.getProtocol() + ", not " + protocol);
    }
  }
}
