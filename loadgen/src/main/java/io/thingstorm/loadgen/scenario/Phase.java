package io.thingstorm.loadgen.scenario;

import java.time.Duration;

/** One step of a scenario; the engine runs them in order, each from the end of the one before. */
public sealed interface Phase {
  /** The name used in scenario files: {@code connect}, {@code publish}, ... */
  String kind();

  /** How long the phase is planned to take (a disconnect at once takes none). */
  Duration length();

  /** This phase's share for one shard: 1/N of its rate, the same length. */
  Phase forShard(Shard shard);

  /**
   * Opens the fleet's connections at the schedule's handshake rate: event n is due for whole-fleet
   * device n, so a shard's n-th event is its n-th local device.
   */
  record Connect(RateSchedule schedule) implements Phase {
    public String kind() {
      return "connect";
    }

    public Duration length() {
      return schedule.length();
    }

    public Connect forShard(Shard shard) {
      return new Connect(schedule.forShard(shard));
    }
  }

  /** Publishes messages at the schedule's arrival rate over the whole fleet (open model), round robin over devices. */
  record Publish(RateSchedule schedule) implements Phase {
    public String kind() {
      return "publish";
    }

    public Duration length() {
      return schedule.length();
    }

    public Publish forShard(Shard shard) {
      return new Publish(schedule.forShard(shard));
    }
  }

  /**
   * Publishes like {@link Publish}, but nothing it does enters the report's figures: it lets the JIT
   * compile the publish path (the first seconds of a fresh JVM run slow) before the measuring starts.
   * Its messages go under the subtopic {@code warmup}, which the run's subscribers leave uncounted.
   */
  record WarmUp(RateSchedule schedule) implements Phase {
    public String kind() {
      return "warmup";
    }

    public Duration length() {
      return schedule.length();
    }

    public WarmUp forShard(Shard shard) {
      return new WarmUp(schedule.forShard(shard));
    }
  }

  /** Connections stay open, nothing is sent (but keep-alives). */
  record Hold(Duration duration) implements Phase {
    public String kind() {
      return "hold";
    }

    public Duration length() {
      return duration;
    }

    public Hold forShard(Shard shard) {
      return this;
    }
  }

  /**
   * Devices disconnect and reconnect at once: {@code share} of the fleet per second, so that session
   * resumption and reconnect storms can be measured. Each event reconnects one device.
   */
  record Churn(double share, RateSchedule schedule) implements Phase {
    public String kind() {
      return "churn";
    }

    public Duration length() {
      return schedule.length();
    }

    public Churn forShard(Shard shard) {
      return new Churn(share, schedule.forShard(shard));
    }
  }

  /** Closes every connection: at a rate, or all at once ({@link RateSchedule#isImmediate()}). */
  record Disconnect(RateSchedule schedule) implements Phase {
    public String kind() {
      return "disconnect";
    }

    public Duration length() {
      return schedule.length();
    }

    public Disconnect forShard(Shard shard) {
      return new Disconnect(schedule.forShard(shard));
    }
  }
}
