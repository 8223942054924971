package io.thingstorm.testbed.http;

/**
 * Mainflux's rule under mTLS: the {@code Authorization} header (or the WebSocket {@code authorization}
 * query value) may be absent; if present it must carry the key in the certificate. The plain key (the
 * Mainflux docs), {@code Thing <key>} (Mainflux 2023-24) and {@code Client <key>} (Magistrala) are all
 * accepted.
 */
final class AuthorizationValue {
  private AuthorizationValue() {}

  static boolean acceptable(String value, String certificateKey) {
    if (value == null || value.isBlank()) return true;
    String v = value.trim();
    for (String scheme : new String[] {"Thing ", "Client "}) {
      if (v.regionMatches(true, 0, scheme, 0, scheme.length())) {
        v = v.substring(scheme.length()).trim();
        break;
      }
    }
    return v.equals(certificateKey);
  }
}
