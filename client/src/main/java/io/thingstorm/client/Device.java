package io.thingstorm.client;

import io.thingstorm.client.senml.SenmlFormat;
import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.client.tls.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A device: one thing talking to one platform over the transport its URL names, reconnecting with
 * backoff and jitter when the connection drops, and keeping a bounded buffer of messages meanwhile.
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.builder().caBundle(Path.of("ca.crt")).build();   // share it
 * try (Device device = Device.builder()
 *     .url("mqtts://mainflux.example.com:8883")
 *     .identity(ThingIdentity.builder()
 *         .certificateFile(Path.of("thing.crt")).privateKeyFile(Path.of("thing.key"))
 *         .thingId("3e5a1b7c-...")                // Mainflux: the MQTT user name; key = the CN
 *         .build())
 *     .tls(tls)
 *     .build()) {
 *   device.connect();
 *   device.publish("<channel id>", "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]".getBytes(UTF_8));
 * }
 * }</pre>
 */
public final class Device implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Device.class.getName());

  /** What became of a publish. */
  public enum Delivery {
    /** The platform acknowledged it (PUBACK/PUBCOMP, HTTP 2xx, WebSocket frame sent). */
    ACKNOWLEDGED,
    /** The device is offline: the message waits in the offline buffer. */
    BUFFERED
  }

  private record Subscription(String channel, String subtopic, int qos, MessageListener listener) {}

  private final Transport transport;
  private final ThingIdentity identity;
  private final int defaultQos;
  private final Backoff backoff;
  private final OfflineBuffer buffer;
  private final ScheduledExecutorService executor;
  private final Consumer<DeviceException> failureListener;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private final Object connecting = new Object();
  private volatile boolean connectedOnce;
  private boolean reconnecting;
  private volatile boolean closed;
  private volatile DeviceException lastFailure;
  private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();

  private Device(Builder b, Transport transport) {
    this.transport = transport;
    this.identity = b.identity;
    this.defaultQos = b.qos;
    this.backoff = b.backoff;
    this.buffer = new OfflineBuffer(b.offlineBuffer);
    this.executor = b.executor;
    this.failureListener = b.failureListener;
    transport.onConnectionLost(this::connectionLost);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Connects once; fails with the classified reason. Reconnects after a later drop happen by themselves. */
  public void connect() {
    if (closed) throw new DeviceException(FailureKind.CLOSED, "the device is closed");
    synchronized (connecting) { // one connect at a time, however many threads publish
      if (connectedOnce && transport.isConnected()) return;
      transport.connect();
      connectedOnce = true;
    }
  }

  /** Publishes SenML JSON to a channel at the default QoS. */
  public Delivery publish(String channel, byte[] senmlJson) {
    return publish(channel, null, senmlJson, Transport.SENML_JSON, defaultQos, false);
  }

  /** Publishes a SenML pack, encoded as JSON or CBOR, at the default QoS. */
  public Delivery publish(String channel, String subtopic, SenmlPack pack, SenmlFormat format) {
    return publish(channel, subtopic, format.encode(pack), format.mediaType(), defaultQos, false);
  }

  /**
   * Publishes and waits for the acknowledgement. Offline (connection lost, reconnecting), the
   * message is buffered and {@link Delivery#BUFFERED} returned; with no buffer, or for failures a
   * retry cannot mend (certificate, permission), it throws.
   */
  public Delivery publish(String channel, String subtopic, byte[] payload, String contentType, int qos, boolean retained) {
    OfflineBuffer.Message message = new OfflineBuffer.Message(channel, subtopic, payload, contentType, qos, retained);
    synchronized (lock) {
      if (closed) throw new DeviceException(FailureKind.CLOSED, "the device is closed");
      if (reconnecting && buffer.capacity() > 0) {
        buffer.add(message);
        return Delivery.BUFFERED;
      }
    }
    if (!connectedOnce) connect();
    try {
      transport.publish(channel, subtopic, payload, contentType, qos, retained);
      return Delivery.ACKNOWLEDGED;
    } catch (DeviceException e) {
      if (!e.kind().isTransient() || buffer.capacity() == 0) throw e;
      buffer.add(message);
      connectionLost(e);
      return Delivery.BUFFERED;
    }
  }

  /** Subscribes, and subscribes again after each reconnect. */
  public void subscribe(String channel, String subtopic, MessageListener listener) {
    if (!transport.canSubscribe()) throw new UnsupportedOperationException(transport + " cannot subscribe: use mqtts:// or wss://");
    if (!connectedOnce) connect();
    transport.subscribe(channel, subtopic, defaultQos, listener);
    subscriptions.add(new Subscription(channel, subtopic, defaultQos, listener));
  }

  public boolean isConnected() {
    synchronized (lock) {
      return !closed && !reconnecting && transport.isConnected();
    }
  }

  public ThingIdentity identity() {
    return identity;
  }

  public Transport transport() {
    return transport;
  }

  /** Messages waiting in the offline buffer. */
  public int buffered() {
    return buffer.size();
  }

  /** Messages the full offline buffer dropped (the oldest first). */
  public long dropped() {
    return buffer.dropped();
  }

  /** How often the device connected again after losing its connection. */
  public long reconnects() {
    return reconnects.get();
  }

  /** The last failure a reconnect attempt met, or null. */
  public DeviceException lastFailure() {
    return lastFailure;
  }

  private void connectionLost(DeviceException reason) {
    synchronized (lock) {
      if (closed || reconnecting) return;
      reconnecting = true;
    }
    lastFailure = reason;
    failureListener.accept(reason);
    LOG.log(System.Logger.Level.DEBUG, "thing {0} lost its connection ({1}); reconnecting", identity.displayName(), reason.getMessage());
    executor.execute(this::reconnect);
  }

  private void reconnect() {
    for (int attempt = 0; !closed; attempt++) {
      try {
        Thread.sleep(backoff.delay(attempt));
      } catch (InterruptedException e) {
        return;
      }
      if (closed) return;
      try {
        synchronized (connecting) {
          if (!transport.isConnected()) {
            transport.connect();
            reconnects.incrementAndGet();
          }
        }
        for (Subscription s : subscriptions) transport.subscribe(s.channel(), s.subtopic(), s.qos(), s.listener());
        if (flush()) return;
      } catch (DeviceException e) {
        lastFailure = e;
        failureListener.accept(e);
      } catch (RuntimeException e) {
        lastFailure = Failures.classify(e);
        failureListener.accept(lastFailure);
      }
    }
  }

  /** Sends the buffer in order; true once it is empty and the device is back online. */
  private boolean flush() {
    while (!closed) {
      OfflineBuffer.Message next;
      synchronized (lock) {
        next = buffer.peek();
        if (next == null) {
          reconnecting = false;
          return true;
        }
      }
      transport.publish(next.channel(), next.subtopic(), next.payload(), next.contentType(), next.qos(), next.retained());
      buffer.remove(next);
    }
    return false;
  }

  @Override
  public void close() {
    if (markClosed()) transport.close();
  }

  /**
   * Closes, and throws when the platform had refused what was published and closed for it. MQTT and
   * HTTPS acknowledge each message, so this is {@link #close}; over WSS a frame the platform refuses
   * (too large: close code 1009; a policy: 1008) is seen only here: a ping after the frames gets no
   * pong but that close.
   */
  public void closeConfirmed() {
    if (markClosed()) transport.closeConfirmed();
  }

  /** True for the one caller that closes the device; false when it was closed already. */
  private boolean markClosed() {
    synchronized (lock) {
      if (closed) return false;
      closed = true;
      return true;
    }
  }

  @Override
  public String toString() {
    return "Device[" + identity + " via " + transport + "]";
  }

  /** Builds a device; url, identity and tls are required. */
  public static final class Builder {
    private URI url;
    private ThingIdentity identity;
    private TlsSettings tls;
    private PlatformProfile profile = PlatformProfile.mainflux();
    private int mqttVersion = 3;
    private int qos = 1;
    // Connection settings go straight to the transport's own builder: its defaults and checks hold.
    private final TransportConfig.Builder connection = TransportConfig.builder();
    private Backoff backoff = Backoff.standard();
    private int offlineBuffer = 1000;
    private ScheduledExecutorService executor = VirtualThreadScheduler.shared();
    private Consumer<DeviceException> failureListener = failure -> {};

    private Builder() {}

    /** mqtts://host:port, https://host:port/prefix or wss://host:port/prefix. */
    public Builder url(String url) {
      return url(URI.create(url));
    }

    public Builder url(URI url) {
      Transports.requireSupportedScheme(url);
      this.url = url;
      return this;
    }

    public Builder identity(ThingIdentity identity) {
      this.identity = Objects.requireNonNull(identity);
      return this;
    }

    public Builder tls(TlsSettings tls) {
      this.tls = Objects.requireNonNull(tls);
      return this;
    }

    public Builder profile(PlatformProfile profile) {
      this.profile = Objects.requireNonNull(profile);
      return this;
    }

    /** 3 for MQTT 3.1.1 (default), 5 for MQTT 5. */
    public Builder mqttVersion(int version) {
      if (version != 3 && version != 5) throw new IllegalArgumentException("MQTT version is 3 (3.1.1) or 5, not " + version);
      this.mqttVersion = version;
      return this;
    }

    /** The QoS of {@link Device#publish(String, byte[])} and of subscriptions; 1 by default. */
    public Builder qos(int qos) {
      if (qos < 0 || qos > 2) throw new IllegalArgumentException("QoS is 0, 1 or 2, not " + qos);
      this.qos = qos;
      return this;
    }

    public Builder clientId(String clientId) {
      connection.clientId(clientId);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      connection.connectTimeout(timeout);
      return this;
    }

    public Builder ackTimeout(Duration timeout) {
      connection.ackTimeout(timeout);
      return this;
    }

    public Builder keepAliveSeconds(int seconds) {
      connection.keepAliveSeconds(seconds);
      return this;
    }

    public Builder cleanStart(boolean clean) {
      connection.cleanStart(clean);
      return this;
    }

    /** MQTT 5: how long the broker keeps the session after a drop when clean start is off (1 hour by default). */
    public Builder sessionExpiry(Duration expiry) {
      connection.sessionExpiry(expiry);
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff);
      return this;
    }

    /** How many messages to keep while offline (1000 by default; 0: publish fails while offline). */
    public Builder offlineBuffer(int messages) {
      if (messages < 0) throw new IllegalArgumentException("the offline buffer holds 0 or more messages");
      this.offlineBuffer = messages;
      return this;
    }

    /** Where Paho's loops and reconnects run; virtual threads by default. */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /** Told of each lost connection and failed reconnect, such as a load generator counting kinds. */
    public Builder onFailure(Consumer<DeviceException> listener) {
      this.failureListener = Objects.requireNonNull(listener);
      return this;
    }

    public Device build() {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(tls, "tls");
      // A TLS 1.2-only platform gets TLS 1.2 unless versions were chosen: a choice of 1.3 stands, to see it refused.
      TlsSettings effective = profile.tls12Only() && tls.versions().equals(TlsSettings.DEFAULT_VERSIONS)
          ? tls.newBuilder().tls12Only().build() : tls;
      TransportConfig config = connection
          .url(url).identity(identity).tls(effective.forIdentity(identity)).profile(profile).executor(executor)
          .build();
      return new Device(this, Transports.create(config, mqttVersion));
    }
  }
}
