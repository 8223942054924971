package io.thingstorm.loadgen.report;

/** Which slice of the fleet and the rates a run made: {@code index} of {@code count}, as {@code --shard i/N} says. */
public record Shard(int index, int count) {
  /** A run that was not split. */
  public static final Shard WHOLE = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + "/" + count + ": want 0 <= index < count");
    }
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
