package io.thingstorm.loadgen.scenario;

import java.util.List;
import java.util.Map;

/**
 * A scenario file as written, field for field, before any check: Jackson binds the YAML into these
 * records (refusing unknown fields and wrong types), then {@link ScenarioReader} checks the values and
 * builds the typed {@link Scenario}. Everything is boxed: null means "not given", so defaults apply.
 */
final class ScenarioYaml {
  private ScenarioYaml() {}

  record Root(String name, String description, Target target, Fleet fleet, Payload payload,
      List<PhaseItem> phases, List<String> thresholds) {}

  record Target(Boolean embedded, String mqtt, String https, String wss, String ca, String profile,
      String authorization, String topic, String path, Tls tls) {}

  record Tls(List<String> versions, String provider, Boolean resumption, Boolean hostnameVerification, String ecdsa,
      String keyShares, List<String> groups) {}

  record Fleet(Integer count, String manifest, String keyType, String identities, String issuer,
      Integer channelsPerThing, Map<String, Integer> protocols, Mqtt mqtt, Integer subscribers, List<String> sourceAddresses) {}

  record Mqtt(Integer qos, String keepAlive, Boolean cleanSession, Boolean retained) {}

  record Payload(String format, List<Map<String, Object>> records, Integer size) {}

  /** One item of {@code phases}: exactly one of these is given. */
  record PhaseItem(Connect connect, Publish warmup, Publish publish, String hold, Churn churn, Disconnect disconnect) {}

  record Connect(Double rate, Double rampTo) {}

  record Publish(Double rate, Double rampTo, String interval, String duration, Long count) {}

  record Churn(Double share, String duration) {}

  record Disconnect(Double rate) {}
}
