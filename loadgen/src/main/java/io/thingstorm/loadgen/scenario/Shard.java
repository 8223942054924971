package io.thingstorm.loadgen.scenario;

import java.util.Map;
import java.util.Optional;

/**
 * One of {@code count} processes that together run a scenario: shard {@code index} (0-based, as a
 * Kubernetes Indexed Job numbers its pods) takes devices {@code index, index + count, ...} of the
 * fleet and the events {@code index, index + count, ...} of every rate schedule, so that the shards
 * together make exactly the load of the whole scenario.
 */
public record Shard(int index, int count) {
  /** The whole scenario in one process. */
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1) throw new IllegalArgumentException("a shard count must be at least 1, not " + count);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard index must be from 0 to " + (count - 1) + ", not " + index);
    }
  }

  /** Parses {@code i/N}, as {@code --shard} takes it, e.g. {@code 0/3}. */
  public static Shard parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
    if (parts.length == 2) {
      try {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      } catch (NumberFormatException e) {
        // the message below says what is expected
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("shard " + text + ": " + e.getMessage());
      }
    }
    throw new IllegalArgumentException("a shard is i/N with 0 <= i < N, such as 0/3, not " + text);
  }

  /**
   * The shard that a Kubernetes Indexed Job gives this pod: {@code JOB_COMPLETION_INDEX} of
   * {@code JOB_COMPLETIONS}; empty when either is unset.
   */
  public static Optional<Shard> fromEnvironment(Map<String, String> env) {
    String index = env.get("JOB_COMPLETION_INDEX");
    String count = env.get("JOB_COMPLETIONS");
    if (index == null || count == null || index.isBlank() || count.isBlank()) return Optional.empty();
    try {
      return Optional.of(parse(index + "/" + count));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JOB_COMPLETION_INDEX=" + index + ", JOB_COMPLETIONS=" + count + ": " + e.getMessage());
    }
  }

  /** {@code --shard} when given, else the environment's, else {@link #WHOLE}. */
  public static Shard resolve(String flag, Map<String, String> env) {
    if (flag != null && !flag.isBlank()) return parse(flag);
    return fromEnvironment(env).orElse(WHOLE);
  }

  public boolean isWhole() {
    return count == 1;
  }

  /** How many of {@code total} items (devices, events) fall to this shard. */
  public long share(long total) {
    return total <= index ? 0 : (total - index + count - 1) / count;
  }

  /** The whole-scenario index of this shard's {@code local}-th item. */
  public long global(long local) {
    return index + local * count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
