package io.thingstorm.loadgen.fleet;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.client.ThingIdentity;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The fleet's identities in memory: issued on the fly by a CA (about 0.3 ms of CPU each, spread over
 * every core), or read from a {@code certs bulk} manifest. Nothing is written to disk.
 */
public final class FleetIdentities {
  private FleetIdentities() {}

  /** One certificate per thing, CN = thing key, from {@code ca}, in the things' order. */
  public static List<ThingIdentity> issue(CertificateAuthority ca, List<Thing> things, KeyType keyType, long days) {
    return issue(ca, things, keyType, days, () -> false, () -> {});
  }

  /**
   * As {@link #issue(CertificateAuthority, List, KeyType, long)}, given up when {@code stopped} says
   * so (Ctrl-C during a run's set-up: thousands of RSA keys take minutes), calling {@code issued}
   * after each identity, from the issuing threads.
   *
   * @throws CancellationException once stopped
   */
  public static List<ThingIdentity> issue(CertificateAuthority ca, List<Thing> things, KeyType keyType, long days,
      BooleanSupplier stopped, Runnable issued) {
    return inParallel(things.size(), i -> {
      if (stopped.getAsBoolean()) throw new CancellationException("stopped while issuing the fleet's identities");
      Thing thing = things.get(i);
      ThingIdentity identity = ThingIdentity.builder()
          .certifiedKey(ca.issueThing(thing.thingKey(), keyType, days))
          .thingId(thing.thingId())
          .thingKey(thing.thingKey())
          .build();
      issued.run();
      return identity;
    });
  }

  /** The identities of a manifest's entries (cert and key files), in its order. */
  public static List<ThingIdentity> read(List<ManifestEntry> entries) {
    return inParallel(entries.size(), i -> {
      ManifestEntry entry = entries.get(i);
      return ThingIdentity.builder()
          .certificateFile(entry.cert())
          .privateKeyFile(entry.key())
          .thingId(entry.thing().thingId())
          .thingKey(entry.thing().thingKey())
          .build();
    });
  }

  private static List<ThingIdentity> inParallel(int count, java.util.function.IntFunction<ThingIdentity> make) {
    // The common pool has cores - 1 workers plus the caller: every core signs.
    return ForkJoinPool.commonPool().submit(() -> IntStream.range(0, count).parallel().mapToObj(make).toList()).join();
  }
}
