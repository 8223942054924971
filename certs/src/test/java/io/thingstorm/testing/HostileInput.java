package io.thingstorm.testing;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Inputs of about 1 MB built to make a parser recurse, allocate or loop, and a measure of what a
 * parser allocated on the calling thread while it refused one.
 */
public final class HostileInput {
  /** About 1 MB: what the tests feed. */
  public static final int SIZE = 1 << 20;
  /** A parser may allocate this much while refusing a 1 MB input: a few copies, not gigabytes. */
  public static final long BUDGET = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private HostileInput() {}

  /** What the parser threw (null if nothing) and the bytes it allocated on this thread. */
  public record Outcome(Throwable thrown, long allocated) {}

  public static Outcome run(Runnable parser) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Throwable thrown = null;
    try {
      parser.run();
    } catch (Throwable t) {
      thrown = t;
    }
    return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
  }

  /** {@code open} repeated until the text is about 1 MB, then {@code close} as often. */
  public static String nested(String open, String close) {
    int times = SIZE / (open.length() + close.length());
    return open.repeat(times) + close.repeat(times);
  }

  /** {@code prefix}, then {@code fill} up to about 1 MB, then {@code suffix}. */
  public static String padded(String prefix, char fill, String suffix) {
    char[] body = new char[SIZE];
    Arrays.fill(body, fill);
    return prefix + new String(body) + suffix;
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@code head} followed by zero bytes up to about 1 MB. */
  public static byte[] padded(byte[] head) {
    return Arrays.copyOf(head, SIZE);
  }
}
