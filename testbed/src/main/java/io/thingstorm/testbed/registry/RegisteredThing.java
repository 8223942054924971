package io.thingstorm.testbed.registry;

import io.thingstorm.certs.fleet.Thing;
import java.util.Set;

/** A thing as the registry knows it at one moment: id, key, and the channels it is connected to. */
public record RegisteredThing(String thingId, String thingKey, Set<String> channels) {
  public RegisteredThing {
    channels = Set.copyOf(channels);
  }

  public boolean isConnectedTo(String channelId) {
    return channels.contains(channelId);
  }

  public String maskedKey() {
    return Thing.mask(thingKey);
  }

  @Override
  public String toString() {
    return "RegisteredThing[" + thingId + ", key " + maskedKey() + ", channels " + channels + "]";
  }
}
