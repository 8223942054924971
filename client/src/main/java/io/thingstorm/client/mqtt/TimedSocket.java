package io.thingstorm.client.mqtt;

import io.thingstorm.client.tls.JsseSocketTrim;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An unconnected {@link SSLSocket} that notes when its TCP connect began and ended and when its
 * handshake ended, then turns Nagle's algorithm off; the timeout given to its connect bounds the
 * connect and the handshake together ({@link SocketDeadline}), and its reads have none; its output
 * {@linkplain PublishBatchingStream batches} publishes that come together. Otherwise it is the
 * socket it wraps. Paho connects the socket and starts the handshake itself; a {@link
 * javax.net.ssl.HandshakeCompletedListener} would tell the end of the handshake too, but the JDK
 * starts a platform thread for each notification.
 */
final class TimedSocket extends SSLSocket {
  private final SSLSocket delegate;
  private final PahoExecutor paho;
  private volatile long tcpStarted;
  private volatile long tcpConnected;
  private volatile long handshakeDone;
  private volatile PublishBatchingStream output;
  private volatile SocketDeadline deadline;
  private InputStream input;

  TimedSocket(SSLSocket delegate, PahoExecutor paho) {
    this.delegate = delegate;
    this.paho = paho;
  }

  /** Instants on {@link System#nanoTime()}; 0 until the step ended. */
  long tcpStarted() {
    return tcpStarted;
  }

  long tcpConnected() {
    return tcpConnected;
  }

  long handshakeDone() {
    return handshakeDone;
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    connect(endpoint, 0);
  }

  /**
   * Connects with no timeout of the JDK's: {@code timeout} bounds the TCP connect and the TLS
   * handshake together, through a {@link SocketDeadline}.
   */
  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    tcpStarted = System.nanoTime();
    if (timeout > 0) deadline = new SocketDeadline(delegate, Duration.ofMillis(timeout));
    try {
      delegate.connect(endpoint);
    } catch (IOException e) {
      throw deadline == null ? e : deadline.failure("TCP connect", e);
    }
    tcpConnected = System.nanoTime();
  }

  @Override
  public void startHandshake() throws IOException {
    try {
      delegate.startHandshake();
    } catch (IOException e) {
      throw deadline == null ? e : deadline.failure("TLS handshake", e);
    }
    if (deadline != null && !deadline.meet()) throw new SocketTimeoutException("TLS handshake timed out");
    // Nagle off once the handshake is done: with it, Paho's CONNECT and the first packets after it
    // wait for the broker's delayed ACK (40 ms, twice per connect). Not before: sent at once, the
    // client's certificate flight meets the reset of a server that refused its first record, and
    // the refusal's alert is lost (a broken pipe instead of "unknown CA").
    delegate.setTcpNoDelay(true);
    // A second call (renegotiation, none here) would not move the first handshake's end.
    if (handshakeDone == 0) handshakeDone = System.nanoTime();
  }

  // Everything else is the wrapped socket's.

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return delegate.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    delegate.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return delegate.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return delegate.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    delegate.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return delegate.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return delegate.getHandshakeSession();
  }

  @Override
  public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
    delegate.addHandshakeCompletedListener(listener);
  }

  @Override
  public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
    delegate.removeHandshakeCompletedListener(listener);
  }

  @Override
  public void setUseClientMode(boolean mode) {
    delegate.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return delegate.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    delegate.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return delegate.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    delegate.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return delegate.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    delegate.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return delegate.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return delegate.getSSLParameters();
  }

  /**
   * Paho turns hostname verification on with a fresh {@code SSLParameters}, and the JDK resets the
   * key exchange groups such an object leaves unset to its defaults: the groups the settings chose
   * are kept.
   */
  @Override
  public void setSSLParameters(SSLParameters params) {
    if (params.getNamedGroups() == null) params.setNamedGroups(delegate.getSSLParameters().getNamedGroups());
    delegate.setSSLParameters(params);
  }

  @Override
  public String getApplicationProtocol() {
    return delegate.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return delegate.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
    delegate.setHandshakeApplicationProtocolSelector(selector);
  }

  @Override
  public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return delegate.getHandshakeApplicationProtocolSelector();
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    delegate.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return delegate.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return delegate.getLocalAddress();
  }

  @Override
  public int getPort() {
    return delegate.getPort();
  }

  @Override
  public int getLocalPort() {
    return delegate.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return delegate.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return delegate.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return delegate.getChannel();
  }

  /** The JDK socket's input, giving back its spare memory between reads ({@link JsseSocketTrim}). */
  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (input == null) input = new AfterConnectTaskInput(JsseSocketTrim.input(delegate), paho);
    return input;
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (output == null) output = new PublishBatchingStream(delegate.getOutputStream());
    return output;
  }

  /** The output's batching, once Paho asked for it; null before. */
  PublishBatchingStream batching() {
    return output;
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    delegate.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return delegate.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    delegate.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return delegate.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    delegate.sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    delegate.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return delegate.getOOBInline();
  }

  /**
   * Ignored: reads wait for data or close. Paho gives its socket a 1 s read timeout, so that its
   * receiver polls, and puts it back after the handshake: every idle receiver then woke each second
   * and threw (44 % of a core at 10,000 devices). Its receiver learns of a stop by the socket's
   * close. The handshake's timeout, which Paho sets here too, is the connect's {@link SocketDeadline}.
   */
  @Override
  public void setSoTimeout(int timeout) {}

  @Override
  public int getSoTimeout() throws SocketException {
    return delegate.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    delegate.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return delegate.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    delegate.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return delegate.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    delegate.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return delegate.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    delegate.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return delegate.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    delegate.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return delegate.getReuseAddress();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public void shutdownInput() throws IOException {
    delegate.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    delegate.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return delegate.isConnected();
  }

  @Override
  public boolean isBound() {
    return delegate.isBound();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return delegate.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return delegate.isOutputShutdown();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    delegate.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public <T> java.net.Socket setOption(SocketOption<T> name, T value) throws IOException {
    delegate.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return delegate.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return delegate.supportedOptions();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
