package io.thingstorm.loadgen.run;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file descriptors this process can still give to connections. A process at its limit cannot
 * open anything, not even a class file or the report: a device that would go beyond the budget is
 * counted as {@code too_many_open_files} without trying, and the generator lives on to say so.
 */
final class FileDescriptorBudget {
  /** Kept free for what the generator itself opens: jars, logs, the report, the metrics socket. */
  static final int RESERVE = 256;

  private final long capacity;
  private final int perConnection;
  private final AtomicLong taken = new AtomicLong();

  private FileDescriptorBudget(long capacity, int perConnection) {
    this.capacity = capacity;
    this.perConnection = perConnection;
  }

  /**
   * What is left of this process's limit now, less {@link #RESERVE}, for connections that take
   * {@code perConnection} descriptors each (Conscrypt keeps a pipe per socket: three).
   */
  static FileDescriptorBudget ofThisProcess(int perConnection) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long left = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - RESERVE;
      return new FileDescriptorBudget(Math.max(0, left), perConnection);
    }
    return unlimited();
  }

  static FileDescriptorBudget unlimited() {
    return new FileDescriptorBudget(Long.MAX_VALUE, 1);
  }

  /** Takes one connection's descriptors; false when they would go beyond the budget. */
  boolean tryTake() {
    long after = taken.addAndGet(perConnection);
    if (after <= capacity) return true;
    taken.addAndGet(-perConnection);
    return false;
  }

  void giveBack() {
    taken.addAndGet(-perConnection);
  }

  /** How many connections fit in all. */
  long connections() {
    return capacity == Long.MAX_VALUE ? Long.MAX_VALUE : capacity / perConnection;
  }
}
