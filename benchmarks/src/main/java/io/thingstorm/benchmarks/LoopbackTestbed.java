package io.thingstorm.benchmarks;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.testbed.Testbed;
import java.util.List;

/**
 * The embedded testbed the publish benchmarks talk to, started on first use. A cold start takes
 * 3-5 s and a stop 2 s: with {@value #KEEP_PROPERTY}=true (the smoke tests, which run every trial in
 * one JVM) trials share one testbed, stopped at exit. Otherwise (JMH's forks, one trial each) each
 * trial stops it in its teardown: HiveMQ's threads would keep the fork alive, and JMH would wait 30 s
 * for them.
 */
final class LoopbackTestbed {
  static final String KEEP_PROPERTY = "thingstorm.benchmarks.keepTestbed";
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

  /** At the end of a trial: stops the testbed unless trials share it. */
  static synchronized void release() {
    if (testbed == null || Boolean.getBoolean(KEEP_PROPERTY)) return;
    testbed.close();
    testbed = null;
  }

  /** A new thing, registered and connected to a new channel, with its certificate from the testbed's CA. */
  static ThingIdentity newThing(Testbed testbed, KeyType keyType) {
    Thing thing = Thing.generate(1, 1).get(0);
    testbed.registry().register(thing);
    CertifiedKey key = testbed.certificateAuthority()
        .orElseThrow(() -> new IllegalStateException("the testbed has no CA key to issue things with"))
        .issueThing(thing.thingKey(), keyType, 365); // under 30 days left, the client warns
    return ThingIdentity.builder().certifiedKey(key).thingId(thing.thingId()).build();
  }

  static String channelOf(Testbed testbed, ThingIdentity identity) {
    List<String> channels = List.copyOf(testbed.registry().byId(identity.thingId()).orElseThrow().channels());
    return channels.get(0);
  }
}
