package io.thingstorm.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace joined to the test's own (root) namespace by a veth pair, for servers that a
 * test reaches over a link it can spoil: {@link #impair} drops packets at random and delays them.
 * The JVM stays in the root namespace; a server runs inside with {@link #command}.
 *
 * <pre>{@code
 * try (NetworkNamespace ns = NetworkNamespace.create();
 *      NetworkNamespace.Impairment link = ns.impair(Duration.ofMillis(50), 5)) {
 *   // start mosquitto with ns.command(...) bound to ns.address(), then connect to link.route(...)
 * }
 * }</pre>
 *
 * <p>Names and the /30 subnet are unique per instance; {@link #close} deletes both ends and the
 * namespace, and a shutdown hook does it if the test never gets there.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String name;
  private final String hostVeth;
  private final String innerVeth;
  private final String hostAddress;
  private final String address;
  private final Thread cleanup;
  private volatile boolean closed;

  private NetworkNamespace(String name, String hostAddress, String address) {
    this.name = name;
    this.hostVeth = name + "h";
    this.innerVeth = name + "n";
    this.hostAddress = hostAddress;
    this.address = address;
    this.cleanup = new Thread(this::delete, "delete " + name);
  }

  /** Makes the namespace and the veth pair with addresses; fails naming iproute2, or saying namespaces are not permitted. */
  public static NetworkNamespace create() {
    DebianTool.require("ip", "iproute2");
    // Interface names hold at most 15 characters: "ts" + pid + sequence + "h"/"n" stays below that.
    String name = "ts" + (ProcessHandle.current().pid() % 100_000) + "x" + SEQUENCE.incrementAndGet();
    int third = ThreadLocalRandom.current().nextInt(256);
    int fourth = ThreadLocalRandom.current().nextInt(64) * 4;
    String prefix = "10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "." + third + ".";
    NetworkNamespace ns = new NetworkNamespace(name, prefix + (fourth + 1), prefix + (fourth + 2));
    ExternalCommand.Result made = ExternalCommand.run(List.of("ip", "netns", "add", name));
    if (made.exitCode() != 0) {
      String why = made.output().strip();
      throw new AssertionError(why.contains("not permitted") || why.contains("Permission denied")
          ? "this test makes a network namespace and may not here (" + why + "): run it as root, or where "
              + "unprivileged user namespaces allow 'ip netns add'"
          : "ip netns add " + name + " failed: " + why);
    }
    Runtime.getRuntime().addShutdownHook(ns.cleanup);
    try {
      ns.ip("link", "add", ns.hostVeth, "type", "veth", "peer", "name", ns.innerVeth);
      ns.ip("link", "set", ns.innerVeth, "netns", name);
      ns.ip("addr", "add", ns.hostAddress + "/30", "dev", ns.hostVeth);
      ns.ip("link", "set", ns.hostVeth, "up");
      ns.inside("ip", "addr", "add", ns.address + "/30", "dev", ns.innerVeth);
      ns.inside("ip", "link", "set", ns.innerVeth, "up");
      ns.inside("ip", "link", "set", "lo", "up");
    } catch (AssertionError e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** The namespace's name (for {@code ip netns exec}). */
  public String name() {
    return name;
  }

  /** The address of the namespace's end of the veth pair: servers inside bind here. */
  public String address() {
    return address;
  }

  /** The root namespace's end. */
  public String hostAddress() {
    return hostAddress;
  }

  /** The veth end inside the namespace. */
  public String innerInterface() {
    return innerVeth;
  }

  /** {@code command} run inside the namespace. */
  public List<String> command(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(command);
    return full;
  }

  /**
   * Spoils the link both ways: each packet is dropped with {@code lossPercent} % chance and
   * delayed by {@code delay} in each direction. With the kernel's netem this is
   * {@code tc qdisc add dev <veth> root netem delay .. loss ..} on both ends. A kernel built without
   * netem (CONFIG_NET_SCH_NETEM off, as on this project's machines) gets the same loss from an
   * nftables rule on the inner veth, and the delay from a {@link DelayingRelay} in this JVM: route
   * connections through {@link Impairment#route}.
   */
  public Impairment impair(Duration delay, double lossPercent) {
    DebianTool.require("tc", "iproute2");
    String netem = "netem delay " + delay.toMillis() + "ms loss " + lossPercent + "%";
    ExternalCommand.Result host = ExternalCommand.run(split("tc qdisc add dev " + hostVeth + " root " + netem));
    if (host.exitCode() == 0) {
      inside(split("tc qdisc add dev " + innerVeth + " root " + netem).toArray(String[]::new));
      return new Impairment(this, delay, lossPercent, true);
    }
    if (!host.output().contains("qdisc kind is unknown")) throw new AssertionError("tc failed: " + host.output().strip());
    DebianTool.require("nft", "nftables");
    long perMille = Math.round(lossPercent * 10);
    String rules = """
        table inet thingstorm_loss {
          chain in { type filter hook input priority 0; iifname "%1$s" numgen random mod 1000 < %2$d counter drop; }
          chain out { type filter hook output priority 0; oifname "%1$s" numgen random mod 1000 < %2$d counter drop; }
        }
        """.formatted(innerVeth, perMille);
    ExternalCommand.Result nft = ExternalCommand.run(command(List.of("nft", "-f", "-")), rules.getBytes(), Duration.ofSeconds(10));
    if (nft.exitCode() != 0) throw new AssertionError("nft failed: " + nft.output().strip());
    return new Impairment(this, delay, lossPercent, false);
  }

  /** Packets the loss rule dropped so far (nftables), or -1 under netem (tc -s shows them instead). */
  long droppedByRule() {
    ExternalCommand.Result listed = ExternalCommand.run(command(List.of("nft", "list", "table", "inet", "thingstorm_loss")));
    long total = 0;
    var matcher = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listed.stdout());
    while (matcher.find()) total += Long.parseLong(matcher.group(1));
    return total;
  }

  /** Packets netem dropped on both ends. */
  long droppedByNetem() {
    long total = 0;
    for (List<String> show : List.of(split("tc -s qdisc show dev " + hostVeth), command(split("tc -s qdisc show dev " + innerVeth)))) {
      var matcher = java.util.regex.Pattern.compile("dropped (\\d+)").matcher(ExternalCommand.run(show).stdout());
      while (matcher.find()) total += Long.parseLong(matcher.group(1));
    }
    return total;
  }

  /** The spoiled link: where to connect, and how many packets it dropped. */
  public static final class Impairment implements AutoCloseable {
    private final NetworkNamespace ns;
    private final Duration delay;
    private final double lossPercent;
    private final boolean netem;
    private final List<DelayingRelay> relays = new ArrayList<>();

    private Impairment(NetworkNamespace ns, Duration delay, double lossPercent, boolean netem) {
      this.ns = ns;
      this.delay = delay;
      this.lossPercent = lossPercent;
      this.netem = netem;
    }

    /** Whether the kernel's netem does it all (else nftables drops and a relay delays). */
    public boolean kernelNetem() {
      return netem;
    }

    /**
     * Where a client in the root namespace connects to reach {@code port} on the namespace's address:
     * that address under netem, else a relay on loopback that forwards over the lossy veth after
     * {@code delay} each way.
     */
    public synchronized java.net.InetSocketAddress route(int port) {
      var target = new java.net.InetSocketAddress(ns.address, port);
      if (netem) return target;
      DelayingRelay relay = DelayingRelay.start(target, delay);
      relays.add(relay);
      return relay.address();
    }

    /** Packets dropped so far on the link (both ways). */
    public long droppedPackets() {
      return netem ? ns.droppedByNetem() : ns.droppedByRule();
    }

    @Override
    public String toString() {
      return (netem ? "netem" : "nftables loss + relay delay") + " " + delay.toMillis() + " ms, " + lossPercent + " % loss";
    }

    @Override
    public synchronized void close() {
      relays.forEach(DelayingRelay::close);
      relays.clear();
    }
  }

  private void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    check(command);
  }

  private void inside(String... args) {
    check(command(List.of(args)));
  }

  private static void check(List<String> command) {
    ExternalCommand.Result result = ExternalCommand.run(command);
    if (result.exitCode() != 0) throw new AssertionError(String.join(" ", command) + " failed: " + result.output().strip());
  }

  private static List<String> split(String command) {
    return List.of(command.split(" "));
  }

  private void delete() {
    if (closed) return;
    closed = true;
    // Deleting the host end deletes its peer; deleting the namespace kills nothing, so its servers stop first.
    ExternalCommand.run(List.of("ip", "link", "del", hostVeth));
    ExternalCommand.run(List.of("ip", "netns", "del", name));
  }

  @Override
  public void close() {
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, and finds it done
    }
  }

  @Override
  public String toString() {
    return "namespace " + name + " (" + address + ", host end " + hostAddress + ")";
  }
}
