package io.thingstorm.client;

import io.thingstorm.client.tls.ThingTls;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything a transport needs to reach the platform as one thing: where, who, how (TLS, platform
 * profile), and on which executor its loops run. Made by {@link Device.Builder}, or directly.
 */
public final class TransportConfig {
  private final URI url;
  private final ThingIdentity identity;
  private final ThingTls tls;
  private final PlatformProfile profile;
  private final ScheduledExecutorService executor;
  private final Duration connectTimeout;
  private final Duration ackTimeout;
  private final int keepAliveSeconds;
  private final int maxInFlight;
  private final boolean cleanStart;
  private final Duration sessionExpiry;
  private final String clientId;
  private final InetAddress localAddress;

  private TransportConfig(Builder b) {
    this.url = Objects.requireNonNull(b.url, "url");
    this.identity = Objects.requireNonNull(b.identity, "identity");
    this.tls = Objects.requireNonNull(b.tls, "tls");
    this.profile = b.profile;
    this.executor = b.executor;
    this.connectTimeout = b.connectTimeout;
    this.ackTimeout = b.ackTimeout;
    this.keepAliveSeconds = b.keepAliveSeconds;
    this.maxInFlight = b.maxInFlight;
    this.cleanStart = b.cleanStart;
    this.sessionExpiry = b.sessionExpiry;
    this.clientId = b.clientId != null ? b.clientId : defaultClientId(identity);
    this.localAddress = b.localAddress;
  }

  /**
   * The thing id when there is one of its own; else a stable name derived from the key, so that the
   * thing key does not show up as a client id in broker logs.
   */
  public static String defaultClientId(ThingIdentity identity) {
    if (!identity.thingId().equals(identity.thingKey())) return identity.thingId();
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(identity.thingKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "thingstorm-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public URI url() {
    return url;
  }

  public ThingIdentity identity() {
    return identity;
  }

  public ThingTls tls() {
    return tls;
  }

  public PlatformProfile profile() {
    return profile;
  }

  /** Runs the protocol library's loops; virtual threads by default. */
  public ScheduledExecutorService executor() {
    return executor;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long a publish or subscribe waits for its acknowledgement. */
  public Duration ackTimeout() {
    return ackTimeout;
  }

  public int keepAliveSeconds() {
    return keepAliveSeconds;
  }

  /** MQTT QoS 1 and 2 publishes one connection may have unacknowledged at once; see {@link Transport#maxInFlight()}. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** MQTT 3.1.1 clean session, MQTT 5 clean start. */
  public boolean cleanStart() {
    return cleanStart;
  }

  /**
   * MQTT 5: how long the broker keeps the session (subscriptions, queued QoS 1 and 2 messages) after
   * the connection ends, when {@link #cleanStart()} is off; 1 hour by default. Without it a v5
   * session would end with its connection, and clean start off would keep nothing.
   */
  public Duration sessionExpiry() {
    return sessionExpiry;
  }

  /** The MQTT client id: the thing id unless set; never the thing key itself. */
  public String clientId() {
    return clientId;
  }

  /** The local address the connection is made from; null for the system's choice. */
  public InetAddress localAddress() {
    return localAddress;
  }

  public static final class Builder {
    private URI url;
    private ThingIdentity identity;
    private ThingTls tls;
    private PlatformProfile profile = PlatformProfile.mainflux();
    private ScheduledExecutorService executor = VirtualThreadScheduler.shared();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration ackTimeout = Duration.ofSeconds(10);
    private int keepAliveSeconds = 60;
    private int maxInFlight = 10; // Paho's own default
    private boolean cleanStart = true;
    private Duration sessionExpiry = Duration.ofHours(1);
    private String clientId;
    private InetAddress localAddress;

    private Builder() {}

    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    public Builder identity(ThingIdentity identity) {
      this.identity = identity;
      return this;
    }

    public Builder tls(ThingTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder profile(PlatformProfile profile) {
      this.profile = Objects.requireNonNull(profile);
      return this;
    }

    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * How many MQTT QoS 1 and 2 publishes may wait for their acknowledgement at once (10 by
     * default, as in Paho); one more fails at once. A broker's smaller MQTT 5 Receive Maximum wins.
     */
    public Builder maxInFlight(int publishes) {
      if (publishes < 1 || publishes > 65_535) throw new IllegalArgumentException("maxInFlight must be 1 to 65535, not " + publishes);
      this.maxInFlight = publishes;
      return this;
    }

    public Builder keepAliveSeconds(int seconds) {
      if (seconds < 0) throw new IllegalArgumentException("keep-alive must be 0 (off) or more seconds");
      this.keepAliveSeconds = seconds;
      return this;
    }

    public Builder cleanStart(boolean clean) {
      this.cleanStart = clean;
      return this;
    }

    /** MQTT 5 session expiry when clean start is off (whole seconds, at most 2^32 - 1). */
    public Builder sessionExpiry(Duration expiry) {
      if (expiry.isNegative() || expiry.toSeconds() > 0xFFFFFFFFL) throw new IllegalArgumentException("session expiry is 0 to 4294967295 seconds");
      this.sessionExpiry = expiry;
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * Connects from this local address (one of the machine's own) instead of the system's choice:
     * spreading a big fleet over several keeps each address's ephemeral ports from filling up.
     */
    public Builder localAddress(InetAddress localAddress) {
      this.localAddress = localAddress;
      return this;
    }

    public TransportConfig build() {
      return new TransportConfig(this);
    }
  }
}
