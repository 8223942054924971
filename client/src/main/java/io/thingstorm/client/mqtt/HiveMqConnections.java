package io.thingstorm.client.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.Failures;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.TlsSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the HiveMQ transports share: the connection's TLS and timeouts from a {@link TransportConfig},
 * waiting for the client's futures, and its exceptions as failure kinds.
 */
final class HiveMqConnections {
  private HiveMqConnections() {}

  /** TLS with the thing's key manager and the run's trust; versions, suites and host check from the settings. */
  static MqttClientTransportConfig transport(TransportConfig config) {
    TlsSettings settings = config.tls().settings();
    MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder()
        .keyManagerFactory(config.tls().keyManagerFactory())
        .trustManagerFactory(config.tls().trustManagerFactory())
        .handshakeTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!settings.versions().isEmpty()) ssl.protocols(settings.versions());
    if (!settings.cipherSuites().isEmpty()) ssl.cipherSuites(settings.cipherSuites());
    // No verifier: the client checks the host name the HTTPS way (RFC 2818).
    if (!settings.verifyHostname()) ssl.hostnameVerifier((host, session) -> true);
    return MqttClientTransportConfig.builder()
        .serverHost(config.url().getHost())
        .serverPort(MqttUris.port(config.url()))
        .sslConfig(ssl.build())
        .socketConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .mqttConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .build();
  }

  /** The future's value within {@code timeout}, or the failure it ended with. */
  static <T> T await(CompletableFuture<T> future, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new DeviceException(FailureKind.TIMEOUT, "no answer from the broker in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceException(FailureKind.CLOSED, "interrupted while waiting for the broker", e);
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /** A HiveMQ client exception as what went wrong, for a person. */
  static DeviceException failure(Throwable thrown) {
    Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (e instanceof DeviceException known) return known;
    if (e instanceof Mqtt3ConnAckException c) return MqttFailures.v3(c, c.getMqttMessage().getReturnCode().getCode());
    if (e instanceof Mqtt5ConnAckException c) return MqttFailures.v5(c, c.getMqttMessage().getReasonCode().getCode());
    if (e instanceof Mqtt3SubAckException s) return new DeviceException(FailureKind.NO_PERMISSION, "SUBACK 128", s);
    if (e instanceof Mqtt5SubAckException s) {
      int code = s.getMqttMessage().getReasonCodes().isEmpty() ? 0x80 : s.getMqttMessage().getReasonCodes().get(0).getCode();
      return refusal(code, "SUBACK", s);
    }
    if (e instanceof Mqtt5PubAckException p) return refusal(p.getMqttMessage().getReasonCode().getCode(), "PUBACK", p);
    if (e instanceof Mqtt5DisconnectException d) {
      int code = d.getMqttMessage().getReasonCode().getCode();
      return code >= 0x80
          ? new DeviceException(MqttFailures.v5Kind(code), "DISCONNECT " + MqttFailures.v5Text(code), d)
          : new DeviceException(FailureKind.CONNECTION_LOST, "the broker disconnected", d);
    }
    if (e instanceof ConnectionFailedException || e instanceof ConnectionClosedException) {
      // The cause says why: a TLS alert, a refused TCP connect, an unknown host.
      if (e.getCause() != null) {
        DeviceException cause = Failures.classify(e.getCause());
        if (cause.kind() != FailureKind.UNKNOWN) return cause;
      }
      DeviceException classified = Failures.classify(e);
      if (classified.kind() != FailureKind.UNKNOWN) return classified;
      return new DeviceException(FailureKind.CONNECTION_LOST, String.valueOf(e.getMessage()), e);
    }
    if (e instanceof MqttClientStateException) return new DeviceException(FailureKind.CONNECTION_LOST, "not connected", e);
    return Failures.classify(e);
  }

  /** A SUBACK or PUBACK reason code of 0x80 or more: 0x87 means no permission on the topic, as with Paho. */
  static DeviceException refusal(int code, String packet, Throwable cause) {
    FailureKind kind = code == 0x87 ? FailureKind.NO_PERMISSION : MqttFailures.v5Kind(code);
    return new DeviceException(kind, packet + " " + MqttFailures.v5Text(code), cause);
  }
}
