package io.thingstorm.client.mqtt;

import io.thingstorm.client.ConnectTimings;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.MessageListener;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ReceivedMessage;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.tls.BoundSocketFactory;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 over TLS with Paho mqttv3, pinned to 3.1.1 (Mainflux's MQTT proxy rejects 3.1, which
 * Paho would fall back to). Paho's loops run on the config's executor.
 */
public final class Mqtt3Transport implements Transport {
  /** Paho v3 reports a refused subscription as granted QoS 128, not as an exception. */
  static final int SUBSCRIPTION_REFUSED = 0x80;

  private final TransportConfig config;
  private final MqttAsyncClient client;
  private final RememberingSocketFactory sockets;
  private final PahoExecutor paho;
  private final PublishTopics topics;
  private final PublishWindow window = new PublishWindow();
  private final FirstPublishWatch firstPublish = new FirstPublishWatch();
  private volatile Consumer<DeviceException> lostListener = lost -> {};
  private volatile ConnectTimings timings;

  public Mqtt3Transport(TransportConfig config) {
    this.config = config;
    this.paho = new PahoExecutor(config.executor());
    this.sockets = new RememberingSocketFactory(
        BoundSocketFactory.of(config.tls().socketFactoryWithoutEndpointCheck(), config.localAddress()), paho);
    this.topics = new PublishTopics(config);
    try {
      this.client = new MqttAsyncClient(MqttUris.paho(config.url()), config.clientId(), new MemoryPersistence(),
          new ScheduledExecutorPingSender(new KeepAliveTicks(config.executor())), new PahoLoops(paho));
    } catch (MqttException e) {
      throw MqttFailures.v3(e, e.getReasonCode());
    }
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        lostListener.accept(firstPublish.explain(cause instanceof MqttException m ? MqttFailures.v3(m, m.getReasonCode())
            : new DeviceException(FailureKind.CONNECTION_LOST, String.valueOf(cause), cause)));
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        // Messages go to each subscription's own listener.
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  @Override
  public void connect() {
    ThingIdentity identity = config.identity();
    PlatformProfile profile = config.profile();
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(config.cleanStart());
    options.setKeepAliveInterval(config.keepAliveSeconds());
    options.setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
    options.setMaxInflight(config.maxInFlight());
    options.setAutomaticReconnect(false); // Device reconnects with backoff and jitter itself
    options.setSocketFactory(sockets);
    // Paho replaces the socket's SSLParameters; its own switch puts the endpoint check back.
    options.setHttpsHostnameVerificationEnabled(config.tls().settings().verifyHostname());
    profile.mqttUserName(identity).ifPresent(options::setUserName);
    profile.mqttPassword(identity).ifPresent(options::setPassword);
    firstPublish.reset();
    try {
      ConnectOutcome outcome = new ConnectOutcome(config.connectTimeout());
      client.connect(options, null, outcome);
      // Paho's own timeout (whole seconds) bounds the TCP connect and the TLS handshake together
      // (TimedSocket), but not the wait for CONNACK: the outcome's deadline bounds the whole connect.
      Throwable failure = outcome.await();
      if (failure instanceof MqttException e) throw e;
      if (failure instanceof java.util.concurrent.TimeoutException) throw new MqttException(MqttFailures.CLIENT_TIMEOUT);
      if (failure != null) throw new MqttException(failure);
    } catch (MqttException e) {
      // Paho shuts down after a failure it saw itself; after this wait's timeout nothing would.
      if (e.getReasonCode() == MqttFailures.CLIENT_TIMEOUT) abandon(true);
      throw diagnosed(MqttFailures.v3(e, e.getReasonCode()));
    }
    timings = sockets.timings(System.nanoTime()).orElse(null);
  }

  @Override
  public Optional<ConnectTimings> connectTimings() {
    return Optional.ofNullable(timings);
  }

  /** A connection dropped during connect may hide a TLS 1.3 certificate alert: ask the server again. */
  private DeviceException diagnosed(DeviceException failure) {
    if (failure.kind() != FailureKind.CONNECTION_LOST) return failure;
    return config.tls().diagnoseRefusal(config.url().getHost(), MqttUris.port(config.url()), config.connectTimeout())
        .orElse(failure);
  }

  @Override
  public int maxInFlight() {
    return config.maxInFlight();
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    window.awaitPlace(maxInFlight(), config.ackTimeout());
    IMqttDeliveryToken token = handOver(channel, subtopic, payload, qos, retained, true, window.leaving());
    try {
      // Paho marks the token complete on its receiving thread: this wait also works from a
      // message listener, which runs on the callback thread that tells action listeners.
      token.waitForCompletion(config.ackTimeout().toMillis());
      firstPublish.acknowledged(qos);
    } catch (MqttException e) {
      throw firstPublish.explain(MqttFailures.v3(e, e.getReasonCode()));
    }
  }

  @Override
  public CompletableFuture<Void> publishAsync(String channel, String subtopic, byte[] payload, String contentType,
      int qos, boolean retained) {
    PendingPublish outcome = new PendingPublish(config.ackTimeout());
    try {
      handOver(channel, subtopic, payload, qos, retained, window.enter(maxInFlight()), new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          window.leave();
          firstPublish.acknowledged(qos);
          outcome.succeed();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable failure) {
          window.leave();
          outcome.fail(firstPublish.explain(failure instanceof MqttException m ? MqttFailures.v3(m, m.getReasonCode())
              : new DeviceException(FailureKind.CONNECTION_LOST, String.valueOf(failure), failure)));
        }
      });
    } catch (RuntimeException e) {
      outcome.fail(e);
    }
    return outcome;
  }

  /**
   * Queues the message with Paho, which has entered the {@link PublishWindow}; {@code listener} hears
   * of the acknowledgement and must leave the window. Only a publish within the window is announced
   * to the batching stream: Paho sends it without waiting for an acknowledgement.
   */
  private IMqttDeliveryToken handOver(String channel, String subtopic, byte[] payload, int qos, boolean retained,
      boolean withinWindow, IMqttActionListener listener) {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(MqttUris.qos(qos));
    message.setRetained(retained);
    PublishBatchingStream output = null;
    try {
      String topic = topics.topic(channel, subtopic);
      firstPublish.sent(topic, qos);
      if (withinWindow) output = sockets.announcePublish();
      return client.publish(topic, message, null, listener);
    } catch (MqttException e) {
      refused(output);
      throw MqttFailures.v3(e, e.getReasonCode());
    } catch (RuntimeException e) {
      refused(output);
      throw e;
    }
  }

  /** Paho refused a publish: it leaves the window, and its announced flush will not come. */
  private void refused(PublishBatchingStream output) {
    window.leave();
    if (output != null) output.withdraw();
  }

  @Override
  public boolean canSubscribe() {
    return true;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    String filter = config.profile().topicFilter(channel, config.identity().thingId(), subtopic);
    try {
      IMqttToken token = client.subscribe(filter, MqttUris.qos(qos),
          (topic, message) -> listener.onMessage(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained())));
      token.waitForCompletion(config.ackTimeout().toMillis());
      int[] granted = token.getGrantedQos();
      if (granted != null && granted.length > 0 && granted[0] == SUBSCRIPTION_REFUSED) {
        throw new DeviceException(FailureKind.NO_PERMISSION, "SUBACK 128 for " + filter);
      }
    } catch (MqttException e) {
      throw MqttFailures.v3(e, e.getReasonCode());
    }
  }

  @Override
  public void onConnectionLost(Consumer<DeviceException> listener) {
    this.lostListener = listener;
  }

  /**
   * Stops Paho's loops and closes its socket after a failed or pending connect: Paho gives up
   * waiting for a CONNACK only at the keep-alive, and until then holds the socket and its receiver.
   */
  private void abandon(boolean afterConnectTask) {
    try {
      // Paho's connect task ends by itself: its TLS handshake times out, or it sends CONNECT.
      if (afterConnectTask) paho.awaitConnectTask(config.connectTimeout().multipliedBy(2).plusSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      client.disconnectForcibly(0, 0, false);
    } catch (MqttException | RuntimeException ignored) {
      // nothing was running
    }
  }

  @Override
  public void close() {
    if (!client.isConnected()) {
      // Never connected, or lost: stop what a pending connect started. Paho's close would free
      // nothing more, and after a forced disconnect can race its sender (an NPE it logs).
      abandon(false);
      return;
    }
    try {
      client.disconnect().waitForCompletion(2000);
    } catch (MqttException ignored) {
      // closing anyway
    }
    try {
      client.close(true);
    } catch (MqttException ignored) {
      // already closed
    }
  }

  @Override
  public String toString() {
    return "MQTT 3.1.1 " + config.url();
  }
}
