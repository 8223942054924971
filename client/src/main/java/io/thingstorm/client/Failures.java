package io.thingstorm.client;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Classifies what a transport threw: TLS alerts the server sent, the thing's refusal of the
 * server, and network errors, for the JDK's, Bouncy Castle's and Conscrypt's wording alike.
 * Protocol answers (CONNACK codes, HTTP status, close codes) are classified by each transport.
 */
public final class Failures {
  private Failures() {}

  /** The failure the throwable stands for; a DeviceException anywhere in the chain wins. */
  public static DeviceException classify(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof DeviceException device) return device;
    }
    FailureKind kind = kindOf(thrown);
    return new DeviceException(kind, detail(thrown), thrown);
  }

  static FailureKind kindOf(Throwable thrown) {
    // First the TLS alerts and certificate checks, whose wording may sit deep in the chain.
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      FailureKind tls = tlsKind(t);
      if (tls != null) return tls;
    }
    // Out of file descriptors (EMFILE): the socket, or Conscrypt's per-socket pipe, could not be made.
    // Not the platform's doing, whatever exception carries it.
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (normalise(t.getMessage()).contains("too many open files")) return FailureKind.TOO_MANY_OPEN_FILES;
    }
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) return FailureKind.CONNECTION_REFUSED;
      if (t instanceof UnknownHostException) return FailureKind.UNKNOWN_HOST;
      if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) return FailureKind.TIMEOUT;
      if (t instanceof EOFException || t instanceof SocketException) return FailureKind.CONNECTION_LOST;
    }
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof SSLException) return FailureKind.HANDSHAKE_FAILED;
    }
    return FailureKind.UNKNOWN;
  }

  private static FailureKind tlsKind(Throwable t) {
    String text = normalise(t.getMessage());
    // The thing's own check of the server's chain failed. The JDK words it "(bad_certificate) PKIX
    // path validation failed: ...", naming the alert it sends, which must not read as the server's
    // refusal of the thing (a CA with the trusted one's name but another key: "signature check failed").
    if (text.contains("pkix path validation failed") || t instanceof CertPathValidatorException) {
      return text.contains("validity check failed") ? FailureKind.SERVER_CERT_INVALID : FailureKind.SERVER_UNTRUSTED;
    }
    // Alerts the server sent: JDK "Received fatal alert: unknown_ca", BCJSSE "unknown_ca(48)",
    // Conscrypt/OpenSSL "TLSV1_ALERT_UNKNOWN_CA", mosquitto's log "tlsv1 alert unknown ca".
    if (text.contains("unknown ca")) return FailureKind.UNKNOWN_CA;
    if (text.contains("certificate expired") && text.contains("alert")) return FailureKind.CERT_EXPIRED;
    if (text.contains("certificate required") || text.contains("certificate_required")) return FailureKind.CERTIFICATE_REQUIRED;
    // certificate_unknown: the JDK's "Received fatal alert: certificate_unknown", BCJSSE's "certificate_unknown(46)".
    if (text.contains("bad certificate") || text.contains("unsupported certificate")
        || text.contains("certificate unknown") && (text.contains("alert") || text.contains("(46)"))) {
      return FailureKind.BAD_CERTIFICATE;
    }
    if (text.contains("protocol version") || text.contains("no appropriate protocol")
        || text.contains("is not accepted by client preferences") || text.contains("unsupported protocol")) {
      return FailureKind.TLS_VERSION_REFUSED;
    }
    // The thing refused the server.
    // JDK: "No subject alternative DNS name matching ...", and for an IP with DNS names only "No
    // subjectAltNames on the certificate match".
    if (text.contains("no subject alternative") || text.contains("no name matching") || text.contains("no subjectaltnames")
        || t instanceof SSLPeerUnverifiedException && text.contains("not verified")
        || text.contains("hostname") && text.contains("verif")) {
      return FailureKind.HOSTNAME_MISMATCH;
    }
    if (text.contains("certification path") || text.contains("trust anchor") || text.contains("pkix path building")) {
      return FailureKind.SERVER_UNTRUSTED;
    }
    if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
        || text.contains("validity check failed")) {
      return FailureKind.SERVER_CERT_INVALID;
    }
    if (text.contains("handshake failure") && text.contains("alert")) return FailureKind.HANDSHAKE_FAILED;
    return null;
  }

  private static String normalise(String message) {
    if (message == null) return "";
    return message.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The most telling message in the chain: the deepest one that names a TLS problem, else the first. */
  static String detail(Throwable thrown) {
    String first = null;
    String telling = null;
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) continue;
      if (first == null) first = message;
      if (tlsKind(t) != null) telling = message;
    }
    String chosen = telling != null ? telling : first;
    if (chosen == null) chosen = thrown.getClass().getSimpleName();
    return DeviceException.oneLine(chosen);
  }
}
