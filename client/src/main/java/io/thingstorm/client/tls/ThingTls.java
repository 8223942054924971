package io.thingstorm.client.tls;

import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One thing's TLS: its SSLContext (its key, the fleet's shared trust) and a socket factory that
 * applies the {@link TlsSettings} to every socket it makes.
 */
public final class ThingTls {
  private final TlsSettings settings;
  private final SSLContext context;
  private final X509TrustManager trustManager;
  private final ConfiguredSocketFactory socketFactory;

  ThingTls(TlsSettings settings, SSLContext context, X509TrustManager trustManager) {
    this.settings = settings;
    this.context = context;
    this.trustManager = trustManager;
    this.socketFactory = new ConfiguredSocketFactory(context, settings, true);
  }

  public TlsSettings settings() {
    return settings;
  }

  public SSLContext sslContext() {
    return context;
  }

  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** Sockets with the versions, suites, SNI and (when on) hostname verification of the settings. */
  public SSLSocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * Sockets with the versions and suites but no hostname verification set, for clients that verify
   * host names themselves and overwrite SSLParameters (Paho: its own switch; OkHttp: its verifier).
   */
  public SSLSocketFactory socketFactoryWithoutEndpointCheck() {
    return new ConfiguredSocketFactory(context, settings, false);
  }


  /**
   * Why a server dropped a connection right after a TLS 1.3 handshake, if it was the certificate.
   * Under TLS 1.3 the client's handshake is over before the server has checked the client's
   * certificate; the server's alert (unknown CA, expired) then races the client's first write, and
   * a reset may swallow it. This probe connects again, writes nothing and reads: the alert arrives
   * intact. Empty when the server keeps waiting (the certificate was fine) or says nothing.
   */
  public Optional<DeviceException> diagnoseRefusal(String host, int port, Duration timeout) {
    // The probe's writes cannot break its read (ProbeSocket); a few probes still tell a server
    // that dropped one connection for another reason.
    for (int probe = 0; probe < 3; probe++) {
      Optional<DeviceException> answer = probeOnce(host, port, timeout);
      if (answer.isEmpty() || answer.get().kind() != FailureKind.CONNECTION_LOST) return answer;
    }
    return Optional.empty();
  }

  private Socket connected(ProbeSocket tcp, String host, int port, int millis) throws IOException {
    tcp.connect(new InetSocketAddress(host, port), millis);
    return socketFactory.createSocket(tcp, host, port, true);
  }

  /** The probe's answer; CONNECTION_LOST when the connection broke before an answer came. */
  private Optional<DeviceException> probeOnce(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    ProbeSocket tcp = new ProbeSocket();
    try (tcp; SSLSocket socket = (SSLSocket) connected(tcp, host, port, millis)) {
      socket.setSoTimeout(millis);
      socket.startHandshake();
      socket.getInputStream().read();
      return Optional.empty();
    } catch (SocketTimeoutException accepted) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      DeviceException classified = Failures.classify(e);
      return switch (classified.kind()) {
        case CONNECTION_LOST -> Optional.of(classified);
        case CONNECTION_REFUSED, TIMEOUT, UNKNOWN_HOST, UNKNOWN -> Optional.empty();
        default -> Optional.of(classified);
      };
    }
  }
}
