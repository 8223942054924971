package io.thingstorm.client;

import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.Pem;
import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.client.tls.ThingTls;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: measures what one device costs to set up (identity from PEM + SSLContext) and to
 * hold connected and idle (heap, threads, CPU), with N MQTT 3.1.1 devices against a local mosquitto.
 *
 * <pre>java -cp ... io.thingstorm.client.SetupCostMeasurement [devices] [jdk|conscrypt]</pre>
 */
public final class SetupCostMeasurement {
  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    TlsProvider provider = args.length > 1 ? TlsProvider.parse(args[1]) : TlsProvider.JDK;
    Path dir = Files.createTempDirectory("thingstorm-measure");
    TestPki pki = TestPki.create(dir);
    List<String[]> pems = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      CertifiedKey key = pki.ca.issueThing("thing-" + i, KeyType.EC_P256, 365);
      pems.add(new String[] {Pem.certificates(key.chain()), Pem.privateKey(key.privateKey(), KeyFormat.PKCS8, null)});
    }
    TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).build();

    // Set-up: twice, the first pass warms the JIT up.
    List<ThingIdentity> identities = new ArrayList<>();
    List<ThingTls> tlsPerDevice = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      identities.clear();
      tlsPerDevice.clear();
      long heapEmpty = usedHeapAfterGc();
      java.util.Map<String, long[]> histogramEmpty = pass == 1 ? classHistogram() : null;
      long start = System.nanoTime();
      for (String[] pem : pems) {
        identities.add(ThingIdentity.builder().certificatePem(pem[0]).privateKeyPem(pem[1]).build());
      }
      long identitiesDone = System.nanoTime();
      for (ThingIdentity identity : identities) tlsPerDevice.add(tls.forIdentity(identity));
      long contextsDone = System.nanoTime();
      System.out.printf("pass %d: identity from PEM (incl. key-match check) %.0f us/device, SSLContext %.0f us/device%n",
          pass + 1, (identitiesDone - start) / 1e3 / devices, (contextsDone - identitiesDone) / 1e3 / devices);
      if (pass == 1) {
        System.out.printf("heap per device for its identity and SSLContext: %.1f KB%n", (usedHeapAfterGc() - heapEmpty) / 1024.0 / devices);
        printGrowth(histogramEmpty, classHistogram(), devices);
      }
    }

    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      long heapBefore = usedHeapAfterGc();
      java.util.Map<String, long[]> histogramBefore = classHistogram();
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      List<Transport> transports = new ArrayList<>();
      Semaphore inFlight = new Semaphore(50); // mosquitto's accept backlog is 100
      AtomicInteger failures = new AtomicInteger();
      long start = System.nanoTime();
      List<Thread> connecting = new ArrayList<>();
      for (int i = 0; i < devices; i++) {
        Transport transport = new Mqtt3Transport(TransportConfig.builder()
            .url(URI.create("mqtts://localhost:" + broker.tlsPort)).identity(identities.get(i)).tls(tlsPerDevice.get(i))
            .clientId("measure-" + i).keepAliveSeconds(60).build());
        transports.add(transport);
        inFlight.acquire();
        connecting.add(Thread.ofVirtual().start(() -> {
          try {
            transport.connect();
          } catch (DeviceException e) {
            if (failures.incrementAndGet() < 5) System.out.println("connect failed: " + e.getMessage());
          } finally {
            inFlight.release();
          }
        }));
      }
      for (Thread t : connecting) t.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("connected %d devices in %.1f s (%.0f/s, 50 in flight), %d failed%n", devices - failures.get(), seconds,
          (devices - failures.get()) / seconds, failures.get());

      tlsPerDevice.clear(); // the transports hold what they need
      long heapAfter = usedHeapAfterGc();
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
      System.out.printf("heap per idle connected device: %.1f KB (heap %d MB -> %d MB); platform threads %d -> %d%n",
          (heapAfter - heapBefore) / 1024.0 / devices, heapBefore >> 20, heapAfter >> 20, threadsBefore, threadsAfter);
      printGrowth(histogramBefore, classHistogram(), devices);

      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuBefore = os.getProcessCpuTime();
      Thread.sleep(10_000);
      long cpuAfter = os.getProcessCpuTime();
      System.out.printf("idle CPU over 10 s: %.1f %% of one core%n", (cpuAfter - cpuBefore) / 1e9 / 10 * 100);

      long closeStart = System.nanoTime();
      List<Thread> closing = new ArrayList<>();
      for (Transport t : transports) closing.add(Thread.ofVirtual().start(t::close));
      for (Thread t : closing) t.join();
      System.out.printf("closed all in %.1f s%n", (System.nanoTime() - closeStart) / 1e9);
    }
    System.exit(0);
  }

  /** Class name to {instances, bytes}, from the live-object histogram (it runs a full GC itself). */
  private static java.util.Map<String, long[]> classHistogram() throws Exception {
    var server = ManagementFactory.getPlatformMBeanServer();
    String text = (String) server.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
        "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    java.util.Map<String, long[]> classes = new java.util.HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
    }
    return classes;
  }

  /** What one device added, largest first: where to look when the per-device heap grows. */
  private static void printGrowth(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after, int devices) {
    after.entrySet().stream()
        .map(e -> {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          return java.util.Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
        })
        .filter(e -> e.getValue()[1] > 0)
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .limit(30)
        .forEach(e -> System.out.printf("  %8.1f B/device %6.2f objects/device  %s%n", e.getValue()[1] / (double) devices,
            e.getValue()[0] / (double) devices, e.getKey()));
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
