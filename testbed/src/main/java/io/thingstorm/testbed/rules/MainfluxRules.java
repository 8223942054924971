package io.thingstorm.testbed.rules;

import io.thingstorm.testbed.registry.RegisteredThing;
import io.thingstorm.testbed.registry.ThingRegistry;
import java.util.Optional;

/**
 * Mainflux under mTLS: the password equals the cert CN (the thing key), the user name is the id of
 * the thing with that key, and a thing uses only {@code channels/<id>/messages[/...]} of channels it
 * is connected to.
 */
public final class MainfluxRules implements AccessRules {
  private final ThingRegistry registry;

  public MainfluxRules(ThingRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Optional<String> authenticate(String certificateCn, String userName, String password) {
    if (certificateCn == null || password == null || !password.equals(certificateCn)) return Optional.empty();
    Optional<RegisteredThing> thing = registry.byKey(certificateCn);
    if (thing.isEmpty() || !thing.get().thingId().equals(userName)) return Optional.empty();
    return Optional.of(thing.get().thingId());
  }

  @Override
  public boolean mayPublish(String thingId, String topic) {
    return ChannelTopic.channelOf(topic).map(channel -> registry.isConnected(thingId, channel)).orElse(false);
  }

  @Override
  public boolean maySubscribe(String thingId, String topicFilter) {
    return mayPublish(thingId, topicFilter);
  }
}
