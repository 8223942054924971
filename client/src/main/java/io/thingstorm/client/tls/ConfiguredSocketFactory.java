package io.thingstorm.client.tls;

import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Applies TlsSettings to each socket as it is made, whatever client library asks for it. */
final class ConfiguredSocketFactory extends ForwardingSslSocketFactory {
  private final SSLContext context;
  private final TlsSettings settings;
  private final boolean endpointCheck;
  private final String[] versions;
  private final String[] suites;
  private final String[] groups;

  ConfiguredSocketFactory(SSLContext context, TlsSettings settings, boolean endpointCheck) {
    super(context.getSocketFactory());
    this.context = context;
    this.settings = settings;
    this.endpointCheck = endpointCheck && settings.verifyHostname();
    this.versions = settings.versions().toArray(new String[0]);
    this.suites = settings.cipherSuites().isEmpty() ? null : settings.cipherSuites().toArray(new String[0]);
    this.groups = settings.namedGroups().isEmpty() ? null : settings.namedGroups().toArray(new String[0]);
  }

  /** Configures each socket made. */
  @Override
  protected Socket made(Socket socket) {
    if (!(socket instanceof SSLSocket ssl)) return socket;
    if (!settings.sessionResumption()) forgetSessions();
    ssl.setEnabledProtocols(versions);
    if (suites != null) ssl.setEnabledCipherSuites(suites);
    SSLParameters parameters = ssl.getSSLParameters();
    // Said either way: Bouncy Castle's JSSE checks the host name unless told not to.
    parameters.setEndpointIdentificationAlgorithm(endpointCheck ? "HTTPS" : null);
    if (groups != null) parameters.setNamedGroups(groups);
    if (!settings.sendSni()) parameters.setServerNames(List.of());
    else if (settings.sniHostName() != null) parameters.setServerNames(List.of(new SNIHostName(settings.sniHostName())));
    ssl.setSSLParameters(parameters);
    return ssl;
  }

  private void forgetSessions() {
    var sessions = context.getClientSessionContext();
    if (sessions == null) return;
    for (byte[] id : java.util.Collections.list(sessions.getIds())) {
      var session = sessions.getSession(id);
      try {
        if (session != null) session.invalidate();
      } catch (UnsupportedOperationException conscrypt) {
        // Conscrypt's cached client sessions cannot be invalidated: one that took a TLS 1.3
        // ticket may resume (clients that close right after the handshake take none).
        return;
      }
    }
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return suites != null ? suites.clone() : delegate.getDefaultCipherSuites();
  }
}
