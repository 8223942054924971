package io.thingstorm.loadgen.report;

/** The machine a run was made on: a report means little without it. */
public record Machine(int cores, String jdkVersion, String jdkVendor, String os, String jsseProvider) {

  /** This JVM's machine; the engine names the JSSE provider it chose. */
  public static Machine current(String jsseProvider) {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        Runtime.version().toString(),
        System.getProperty("java.vendor", "unknown"),
        System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "") + " "
            + System.getProperty("os.arch", ""),
        jsseProvider);
  }

  @Override
  public String toString() {
    return cores + (cores == 1 ? " core" : " cores") + ", Java " + jdkVersion + " (" + jdkVendor + "), "
        + os.strip() + ", JSSE " + jsseProvider;
  }
}
