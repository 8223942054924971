package io.thingstorm.testbed.rules;

import io.thingstorm.testbed.registry.RegisteredThing;
import io.thingstorm.testbed.registry.ThingRegistry;
import io.thingstorm.testbed.registry.TopicPermissions;
import java.util.Optional;

/**
 * Cybus Connectware with mTLS: the cert CN is the user name, no password is needed. A user listed in
 * the permissions file gets exactly its filters; a registered thing not listed there is a user with
 * its channels' topics, so that a generated fleet works in either profile.
 */
public final class CybusRules implements AccessRules {
  private final ThingRegistry registry;
  private final TopicPermissions permissions;
  private final MainfluxRules channels;

  public CybusRules(ThingRegistry registry, TopicPermissions permissions) {
    this.registry = registry;
    this.permissions = permissions;
    this.channels = new MainfluxRules(registry);
  }

  @Override
  public Optional<String> authenticate(String certificateCn, String userName, String password) {
    if (certificateCn == null) return Optional.empty();
    if (permissions.of(certificateCn).isPresent() || registry.byKey(certificateCn).isPresent()) {
      return Optional.of(certificateCn);
    }
    return Optional.empty();
  }

  @Override
  public boolean mayPublish(String user, String topic) {
    if (permissions.of(user).isPresent()) return permissions.allows(user, topic);
    return registry.byKey(user).map(t -> channels.mayPublish(t.thingId(), topic)).orElse(false);
  }

  @Override
  public boolean maySubscribe(String user, String topicFilter) {
    return mayPublish(user, topicFilter);
  }

  /** Messages are counted under the thing id when the user is a registered thing's key. */
  @Override
  public String thingIdOf(String user) {
    return registry.byKey(user).map(RegisteredThing::thingId).orElse(user);
  }
}
