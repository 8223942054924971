package io.thingstorm.loadgen.run;

import io.thingstorm.client.senml.SenmlPack;
import io.thingstorm.loadgen.scenario.PayloadTemplate;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whose messages a run's subscribers count: those of this run's own devices. Shards of one scenario
 * (and other clients) publish to the same channels, so a subscriber gets their messages too;
 * counted, every shard would report the others' messages as its own received ones, more than it
 * sent. The sender is the thing that the first record's {@code bn} names, as the payload template
 * writes it (the default {@code ${thing}:}); with a template whose {@code bn} does not name the
 * thing, no sender can be told and every message counts.
 */
public final class CountedSenders {
  private final PayloadTemplate template;
  private final Set<String> things;
  private final LongAdder foreign = new LongAdder();

  private CountedSenders(PayloadTemplate template, Set<String> things) {
    this.template = template;
    this.things = things;
  }

  /** Messages sent by one of {@code things} (thing ids), when {@code template} names the sender. */
  public static CountedSenders of(PayloadTemplate template, Collection<String> things) {
    return new CountedSenders(template, Set.copyOf(things));
  }

  /**
   * True when a message with this payload counts: sent by one of this run's things, or by a sender
   * that cannot be told; false when another sent it.
   *
   * @param pack the decoded payload; null when it is not SenML
   */
  boolean counts(SenmlPack pack) {
    if (!template.namesSender()) return true;
    String baseName = pack == null || pack.records().isEmpty() ? null : pack.records().get(0).baseName();
    return template.senderOf(baseName).filter(things::contains).isPresent();
  }

  /** A channel's counting subscriber left out a message of another sender. */
  void foreignSeen() {
    foreign.increment();
  }

  /** Messages from other senders that subscribers saw and left out. */
  public long foreign() {
    return foreign.sum();
  }
}
