package io.thingstorm.testbed.rules;

import java.util.Optional;

/**
 * A platform's MQTT rules: who may connect with which certificate and credentials, and where they may
 * publish and subscribe. Asked on every connect, publish and subscription, so that changes in the
 * registry apply at once.
 */
public interface AccessRules {
  /**
   * The principal (the thing id, or the Cybus user name) for a client whose certificate has this CN and
   * that sent this user name and password (either may be null), or empty when it is not authorised.
   */
  Optional<String> authenticate(String certificateCn, String userName, String password);

  boolean mayPublish(String principal, String topic);

  boolean maySubscribe(String principal, String topicFilter);

  /** The thing id to count a principal's messages under. */
  default String thingIdOf(String principal) {
    return principal;
  }
}
