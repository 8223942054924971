package io.thingstorm.benchmarks;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testbed.Testbed;
import java.util.List;

/**
 * One embedded testbed per JVM, started on first use and stopped at exit: a cold start takes 3-5 s
 * and a stop 2 s, so the publish benchmarks' params (and the smoke tests, which run in one JVM)
 * share it instead of starting one per trial.
 */
final class LoopbackTestbed {
  private static Testbed testbed;

  private LoopbackTestbed() {}

  static synchronized Testbed get() {
    if (testbed == null) {
      Testbed started = Testbed.builder().generateThings(1).channels(1).build().start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "testbed-stop"));
      testbed = started;
    }
    return testbed;
  }

  /** A new thing, registered and connected to a new channel, with its certificate from the testbed's CA. */
  static ThingIdentity newThing(Testbed testbed, KeyType keyType) {
    Thing thing = Thing.generate(1, 1).get(0);
    testbed.registry().register(thing);
    CertifiedKey key = testbed.certificateAuthority()
        .orElseThrow(() -> new IllegalStateException("the testbed has no CA key to issue things with"))
        .issueThing(thing.thingKey(), keyType, 30);
    return ThingIdentity.builder().certifiedKey(key).thingId(thing.thingId()).build();
  }

  static String channelOf(Testbed testbed, ThingIdentity identity) {
    List<String> channels = List.copyOf(testbed.registry().byId(identity.thingId()).orElseThrow().channels());
    return channels.get(0);
  }
}
