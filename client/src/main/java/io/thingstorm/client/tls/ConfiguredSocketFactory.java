package io.thingstorm.client.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** Applies TlsSettings to each socket as it is made, whatever client library asks for it. */
final class ConfiguredSocketFactory extends SSLSocketFactory {
  private final SSLContext context;
  private final SSLSocketFactory delegate;
  private final TlsSettings settings;
  private final boolean endpointCheck;
  private final String[] versions;
  private final String[] suites;
  private final String[] groups;

  ConfiguredSocketFactory(SSLContext context, TlsSettings settings, boolean endpointCheck) {
    this.context = context;
    this.delegate = context.getSocketFactory();
    this.settings = settings;
    this.endpointCheck = endpointCheck && settings.verifyHostname();
    this.versions = settings.versions().toArray(new String[0]);
    this.suites = settings.cipherSuites().isEmpty() ? null : settings.cipherSuites().toArray(new String[0]);
    this.groups = settings.namedGroups().isEmpty() ? null : settings.namedGroups().toArray(new String[0]);
  }

  private Socket configure(Socket socket) {
    if (!(socket instanceof SSLSocket ssl)) return socket;
    if (!settings.sessionResumption()) forgetSessions();
    ssl.setEnabledProtocols(versions);
    if (suites != null) ssl.setEnabledCipherSuites(suites);
    SSLParameters parameters = ssl.getSSLParameters();
    if (endpointCheck) parameters.setEndpointIdentificationAlgorithm("HTTPS");
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

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return configure(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return configure(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return configure(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return configure(delegate.createSocket(address, port, localAddress, localPort));
  }
}
