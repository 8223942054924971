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
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** MQTT 5 over TLS with Paho mqttv5; reason codes 0x80 and above become failure kinds. */
public final class Mqtt5Transport implements Transport {
  private final TransportConfig config;
  private final MqttAsyncClient client;
  private final ReentrantLock handingOver = new ReentrantLock();
  private final RememberingSocketFactory sockets;
  private final PahoExecutor paho;
  private final PublishTopics topics;
  private final PublishWindow window = new PublishWindow();
  private volatile Consumer<DeviceException> lostListener = lost -> {};
  private volatile ConnectTimings timings;
  private volatile int maxInFlight;
  private final java.util.concurrent.atomic.AtomicInteger subscriptionIds = new java.util.concurrent.atomic.AtomicInteger();

  public Mqtt5Transport(TransportConfig config) {
    this.config = config;
    this.maxInFlight = config.maxInFlight();
    this.paho = new PahoExecutor(config.executor());
    this.sockets = new RememberingSocketFactory(
        BoundSocketFactory.of(config.tls().socketFactoryWithoutEndpointCheck(), config.localAddress()), paho);
    this.topics = new PublishTopics(config);
    try {
      // Given an executor, v5's TimerPingSender schedules pings there instead of on a Timer thread.
      this.client = new MqttAsyncClient(MqttUris.paho(config.url()), config.clientId(), new MemoryPersistence(),
          new TimerPingSender(new KeepAliveTicks(config.executor())), new PahoLoops(paho));
    } catch (MqttException e) {
      throw MqttFailures.v5(e, e.getReasonCode());
    }
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {
        MqttException cause = response.getException();
        int code = response.getReturnCode();
        lostListener.accept(code >= 0x80 ? new DeviceException(MqttFailures.v5Kind(code), "DISCONNECT " + MqttFailures.v5Text(code), cause)
            : cause != null ? MqttFailures.v5(cause, cause.getReasonCode())
            : new DeviceException(FailureKind.CONNECTION_LOST, "the broker disconnected"));
      }

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
  }

  @Override
  public void connect() {
    ThingIdentity identity = config.identity();
    PlatformProfile profile = config.profile();
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(config.cleanStart());
    if (!config.cleanStart()) options.setSessionExpiryInterval(config.sessionExpiry().toSeconds());
    options.setKeepAliveInterval(config.keepAliveSeconds());
    options.setConnectionTimeout((int) Math.max(1, config.connectTimeout().toSeconds()));
    options.setAutomaticReconnect(false);
    options.setSocketFactory(sockets);
    options.setHttpsHostnameVerificationEnabled(config.tls().settings().verifyHostname());
    profile.mqttUserName(identity).ifPresent(options::setUserName);
    profile.mqttPassword(identity).ifPresent(p -> options.setPassword(new String(p).getBytes(StandardCharsets.UTF_8)));
    try {
      ConnectOutcome outcome = new ConnectOutcome(config.connectTimeout());
      IMqttToken token = client.connect(options, null, outcome);
      // Paho's own timeout (whole seconds) bounds the TCP connect and the TLS handshake together
      // (TimedSocket), but not the wait for CONNACK: the outcome's deadline bounds the whole connect.
      Throwable failure = outcome.await();
      if (failure instanceof MqttException e) throw e;
      if (failure instanceof java.util.concurrent.TimeoutException) throw new MqttException(MqttFailures.CLIENT_TIMEOUT);
      if (failure != null) throw new MqttException(failure);
      requireSuccess(token, "CONNACK");
      // Paho keeps to the broker's Receive Maximum (65,535 when it names none) and refuses more.
      MqttProperties connack = token.getResponseProperties();
      Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
      maxInFlight = Math.min(config.maxInFlight(), receiveMaximum == null ? 65_535 : receiveMaximum);
    } catch (MqttException e) {
      // Paho shuts down after a failure it saw itself; after this wait's timeout nothing would.
      if (e.getReasonCode() == MqttFailures.CLIENT_TIMEOUT) abandon(true);
      throw diagnosed(MqttFailures.v5(e, e.getReasonCode(), "CONNACK"));
    }
    timings = sockets.timings(System.nanoTime()).orElse(null);
  }

  @Override
  public int maxInFlight() {
    return maxInFlight;
  }

  @Override
  public Optional<ConnectTimings> connectTimings() {
    return Optional.ofNullable(timings);
  }

  private static void requireSuccess(IMqttToken token, String packet) {
    int[] codes = token.getReasonCodes();
    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
      throw new DeviceException(MqttFailures.v5Kind(codes[0]), packet + " " + MqttFailures.v5Text(codes[0]));
    }
  }

  /** A connection dropped during connect may hide a TLS 1.3 certificate alert: ask the server again. */
  private DeviceException diagnosed(DeviceException failure) {
    if (failure.kind() != FailureKind.CONNECTION_LOST) return failure;
    return config.tls().diagnoseRefusal(config.url().getHost(), MqttUris.port(config.url()), config.connectTimeout())
        .orElse(failure);
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    window.awaitPlace(maxInFlight(), config.ackTimeout());
    IMqttToken token = handOver(channel, subtopic, payload, contentType, qos, retained, true, window.leaving());
    try {
      // Paho marks the token complete on its receiving thread: this wait also works from a
      // message listener, which runs on the callback thread that tells action listeners.
      token.waitForCompletion(config.ackTimeout().toMillis());
    } catch (MqttException e) {
      throw MqttFailures.v5(e, e.getReasonCode());
    }
    DeviceException refused = refusal(token, "PUBACK");
    if (refused != null) throw refused;
  }

  @Override
  public CompletableFuture<Void> publishAsync(String channel, String subtopic, byte[] payload, String contentType,
      int qos, boolean retained) {
    PendingPublish outcome = new PendingPublish(config.ackTimeout());
    try {
      handOver(channel, subtopic, payload, contentType, qos, retained, window.enter(maxInFlight()), new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          window.leave();
          DeviceException refused = refusal(token, "PUBACK");
          if (refused != null) outcome.fail(refused);
          else outcome.succeed();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable failure) {
          window.leave();
          outcome.fail(failure instanceof MqttException m ? MqttFailures.v5(m, m.getReasonCode())
              : new DeviceException(FailureKind.CONNECTION_LOST, String.valueOf(failure), failure));
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
  private IMqttToken handOver(String channel, String subtopic, byte[] payload, String contentType, int qos,
      boolean retained, boolean withinWindow, MqttActionListener listener) {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(MqttUris.qos(qos));
    message.setRetained(retained);
    if (contentType != null) {
      MqttProperties properties = new MqttProperties();
      properties.setContentType(contentType);
      message.setProperties(properties);
    }
    // Paho names a topic by an alias from its second publish on (when the broker allows aliases,
    // as mosquitto and HiveMQ do), deciding the alias before it queues the message: two threads
    // publishing at once could put the alias-only PUBLISH on the wire before the one that defines
    // it, and the broker disconnects with 0x82 (protocol error). One hand-over at a time keeps the
    // order; the acknowledgement is waited for, or heard of, outside.
    PublishBatchingStream output = null;
    handingOver.lock();
    try {
      String topic = topics.topic(channel, subtopic);
      if (withinWindow) output = sockets.announcePublish();
      return client.publish(topic, message, null, listener);
    } catch (MqttException e) {
      refused(output);
      throw MqttFailures.v5(e, e.getReasonCode());
    } catch (RuntimeException e) {
      refused(output);
      throw e;
    } finally {
      handingOver.unlock();
    }
  }

  /** Paho refused a publish: it leaves the window, and its announced flush will not come. */
  private void refused(PublishBatchingStream output) {
    window.leave();
    if (output != null) output.withdraw();
  }

  /** A PUBACK or SUBACK with 0x87 means this thing may not use the topic. */
  private static DeviceException refusal(IMqttToken token, String packet) {
    int[] codes = token.getReasonCodes();
    if (codes == null || codes.length == 0 || codes[0] < 0x80) return null;
    FailureKind kind = codes[0] == 0x87 ? FailureKind.NO_PERMISSION : MqttFailures.v5Kind(codes[0]);
    return new DeviceException(kind, packet + " " + MqttFailures.v5Text(codes[0]));
  }

  @Override
  public boolean canSubscribe() {
    return true;
  }

  @Override
  public void subscribe(String channel, String subtopic, int qos, MessageListener listener) {
    String filter = config.profile().topicFilter(channel, config.identity().thingId(), subtopic);
    // Paho v5 1.2.5 routes per-subscription listeners by subscription identifier and fails
    // (IndexOutOfBounds) when none is given: give each subscription its own.
    MqttProperties properties = new MqttProperties();
    properties.setSubscriptionIdentifiers(java.util.List.of(subscriptionIds.incrementAndGet()));
    try {
      IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, MqttUris.qos(qos))}, null, null,
          (topic, message) -> listener.onMessage(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained())),
          properties);
      token.waitForCompletion(config.ackTimeout().toMillis());
      DeviceException refused = refusal(token, "SUBACK for " + filter + ":");
      if (refused != null) throw refused;
    } catch (MqttException e) {
      throw MqttFailures.v5(e, e.getReasonCode());
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
    return "MQTT 5 " + config.url();
  }
}
