package io.thingstorm.loadgen.scenario;

import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.fleet.ManifestEntry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The simulated devices. Devices are numbered 0 to {@code count - 1} over the whole fleet; a shard
 * runs devices {@code shard.index, shard.index + shard.count, ...}, which it numbers locally from 0
 * (see {@link #deviceIndex(int)}).
 *
 * @param count devices in the whole fleet (all shards); for a manifest, its rows
 * @param manifest a {@code certs bulk} manifest ({@code things.csv}) of things that exist on the platform; null when issued on the fly
 * @param things the manifest's rows, in order, over the whole fleet; empty when issued on the fly, or when the
 *     scenario was read without opening files ({@link ScenarioReader#withoutFileChecks()})
 * @param keyType key type of identities issued on the fly
 * @param identities folder to write issued identities to (and reuse them from); null to keep them in memory
 * @param issuer folder of a CA ({@code ca.crt}, {@code ca.key}) to sign issued identities with; null for a new CA in memory
 * @param channelsPerThing channels each thing is connected to and publishes to
 * @param protocols which protocol each device speaks
 * @param mqtt MQTT settings
 * @param subscribers MQTT subscribers per channel that count arrivals and measure end-to-end latency; 0 for none
 * @param sourceAddresses local addresses devices connect from, in turn (device i from address i mod n); empty for
 *     the system's choice. One address has about 28,000 ephemeral ports towards one platform address
 * @param shard which devices this process runs
 */
public record Fleet(int count, Path manifest, List<ManifestEntry> things, KeyType keyType, Path identities, Path issuer,
    int channelsPerThing, ProtocolMix protocols, MqttOptions mqtt, int subscribers, List<InetAddress> sourceAddresses, Shard shard) {

  public Fleet {
    things = List.copyOf(things);
    sourceAddresses = List.copyOf(sourceAddresses);
  }

  /** Devices this process runs. */
  public int size() {
    return (int) shard.share(count);
  }

  /** The whole-fleet index of this process's {@code local}-th device: its identity, name and due times follow it. */
  public int deviceIndex(int local) {
    if (local < 0 || local >= size()) throw new IndexOutOfBoundsException("device " + local + " of " + size());
    return (int) shard.global(local);
  }

  /** The protocol of this process's {@code local}-th device, chosen so that every shard has the fleet's mix. */
  public Protocol protocol(int local) {
    return protocols.protocolOf(shard, local);
  }

  /** The manifest row of this process's {@code local}-th device. */
  public ManifestEntry thing(int local) {
    if (manifest == null) throw new IllegalStateException("the fleet is issued on the fly, it has no manifest");
    return things.get(deviceIndex(local));
  }

  public boolean fromManifest() {
    return manifest != null;
  }

  public Fleet forShard(Shard shard) {
    if (!this.shard.isWhole()) throw new IllegalStateException("fleet is a shard already: " + this.shard);
    return new Fleet(count, manifest, things, keyType, identities, issuer, channelsPerThing, protocols, mqtt, subscribers, sourceAddresses, shard);
  }
}
