package io.thingstorm.testbed.registry;

import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.testbed.TestbedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The platform's things and their channel connections, as Mainflux's things service keeps them.
 * Changes take effect at once: the broker and the HTTP adapter ask the registry on every connect,
 * publish and subscription, so a thing revoked or disconnected mid-run is refused from then on.
 */
public final class ThingRegistry {
  private final Map<String, RegisteredThing> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByKey = new ConcurrentHashMap<>();
  private final List<Consumer<RegisteredThing>> revocationListeners = new CopyOnWriteArrayList<>();

  /** A registry holding these things, each connected to its channel (if it has one). */
  public static ThingRegistry of(List<Thing> things) {
    ThingRegistry registry = new ThingRegistry();
    things.forEach(registry::register);
    return registry;
  }

  /** Adds a thing, connected to its channel if it names one; refuses a second thing with the same id or key. */
  public synchronized RegisteredThing register(Thing thing) {
    String existing = idByKey.get(thing.thingKey());
    if (existing != null && !existing.equals(thing.thingId())) {
      throw new TestbedException("thing " + thing.thingId() + " has the same key as thing " + existing);
    }
    RegisteredThing before = byId.get(thing.thingId());
    if (before != null && !before.thingKey().equals(thing.thingKey())) {
      throw new TestbedException("thing " + thing.thingId() + " is registered already with another key");
    }
    Set<String> channels = new java.util.HashSet<>(before == null ? Set.of() : before.channels());
    if (thing.channelId() != null) channels.add(thing.channelId());
    RegisteredThing registered = new RegisteredThing(thing.thingId(), thing.thingKey(), channels);
    byId.put(thing.thingId(), registered);
    idByKey.put(thing.thingKey(), thing.thingId());
    return registered;
  }

  /**
   * Removes a thing: its key no longer authenticates anywhere, and the broker drops its live
   * connections (see {@link #onRevoke}). Returns whether it was there.
   */
  public boolean revoke(String thingId) {
    RegisteredThing removed;
    synchronized (this) {
      removed = byId.remove(thingId);
      if (removed == null) return false;
      idByKey.remove(removed.thingKey());
    }
    // Outside the lock: a listener may take its time (the broker disconnecting clients).
    revocationListeners.forEach(listener -> listener.accept(removed));
    return true;
  }

  /** Told of each thing revoked, after it is gone from the registry: the broker ends its connections. */
  public void onRevoke(Consumer<RegisteredThing> listener) {
    revocationListeners.add(java.util.Objects.requireNonNull(listener));
  }

  public synchronized void connect(String thingId, String channelId) {
    RegisteredThing thing = require(thingId);
    Set<String> channels = new java.util.HashSet<>(thing.channels());
    channels.add(channelId);
    byId.put(thingId, new RegisteredThing(thingId, thing.thingKey(), channels));
  }

  /** Disconnects a thing from a channel: its publishes and subscriptions there are refused from now on. */
  public synchronized void disconnect(String thingId, String channelId) {
    RegisteredThing thing = require(thingId);
    Set<String> channels = new java.util.HashSet<>(thing.channels());
    channels.remove(channelId);
    byId.put(thingId, new RegisteredThing(thingId, thing.thingKey(), channels));
  }

  public Optional<RegisteredThing> byId(String thingId) {
    return Optional.ofNullable(byId.get(thingId));
  }

  /** The thing whose key this is (the CN of its certificate). */
  public Optional<RegisteredThing> byKey(String thingKey) {
    String id = thingKey == null ? null : idByKey.get(thingKey);
    return id == null ? Optional.empty() : byId(id);
  }

  public boolean isConnected(String thingId, String channelId) {
    RegisteredThing thing = byId.get(thingId);
    return thing != null && thing.isConnectedTo(channelId);
  }

  /** Every thing, sorted by id. */
  public List<RegisteredThing> things() {
    List<RegisteredThing> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(RegisteredThing::thingId));
    return all;
  }

  public int size() {
    return byId.size();
  }

  private RegisteredThing require(String thingId) {
    RegisteredThing thing = byId.get(thingId);
    if (thing == null) throw new TestbedException("no thing " + thingId + " in the registry");
    return thing;
  }
}
