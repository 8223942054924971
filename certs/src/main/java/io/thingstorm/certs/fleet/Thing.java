package io.thingstorm.certs.fleet;

import io.thingstorm.certs.CertsException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A thing as a platform knows it: its id, its key (the CN of its certificate) and its channel. */
public record Thing(String thingId, String thingKey, String channelId) {
  public Thing {
    if (thingId == null || thingId.isBlank()) throw new CertsException("a thing needs an id");
    if (thingKey == null || thingKey.isBlank()) throw new CertsException("thing " + thingId + " has no key");
  }

  /** {@code count} new things with random UUID ids and keys, spread round-robin over {@code channels} new channels. */
  public static List<Thing> generate(int count, int channels) {
    if (count < 1) throw new CertsException("count must be at least 1, not " + count);
    if (channels < 1) throw new CertsException("channels must be at least 1, not " + channels);
    List<String> channelIds = new ArrayList<>(channels);
    for (int i = 0; i < channels; i++) channelIds.add(UUID.randomUUID().toString());
    List<Thing> things = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      things.add(new Thing(UUID.randomUUID().toString(), UUID.randomUUID().toString(), channelIds.get(i % channels)));
    }
    return things;
  }

  /** The key with all but its first 4 characters masked, for output and logs. */
  public String maskedKey() {
    return mask(thingKey);
  }

  public static String mask(String secret) {
    if (secret == null) return "";
    if (secret.length() <= 8) return "****";
    return secret.substring(0, 4) + "****";
  }

  @Override
  public String toString() {
    return "Thing[" + thingId + ", key " + maskedKey() + ", channel " + channelId + "]";
  }
}
