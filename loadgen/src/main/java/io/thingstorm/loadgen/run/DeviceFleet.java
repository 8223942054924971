package io.thingstorm.loadgen.run;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.fleet.ManifestEntry;
import io.thingstorm.certs.fleet.Thing;
import io.thingstorm.certs.pem.PasswordSource;
import io.thingstorm.client.AuthorizationFormat;
import io.thingstorm.client.PlatformProfile;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.loadgen.fleet.FleetIdentities;
import io.thingstorm.loadgen.fleet.IdentityFolder;
import io.thingstorm.loadgen.fleet.JsseChoice;
import io.thingstorm.loadgen.metrics.RunRecorder;
import io.thingstorm.loadgen.scenario.Fleet;
import io.thingstorm.loadgen.scenario.MqttOptions;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.loadgen.scenario.Target;
import io.thingstorm.loadgen.scenario.TlsOptions;
import io.thingstorm.testbed.Profile;
import io.thingstorm.testbed.Testbed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The devices of one run (this shard's slice of the fleet) and the subscribers of their channels,
 * ready to connect: identities (in memory, or kept in a {@code fleet.identities} folder between
 * runs), one {@link TlsSettings} shared by all, and, for an
 * {@code embedded} target, the testbed they connect to, started in this JVM.
 *
 * <p>Embedded: the fleet's things are registered with the testbed, each connected to
 * {@code channelsPerThing} channels shared by the whole fleet, and their certificates are issued
 * in memory by the testbed's CA. A platform: the things, their channels and certificate files
 * come from a {@code certs bulk} manifest.
 */
public final class DeviceFleet implements AutoCloseable {
  /** Identities issued on the fly are valid this long: any soak run fits, and no expiry warning fires. */
  private static final long ISSUED_DAYS = 365;

  private final List<SimulatedDevice> devices;
  private final List<ChannelSubscriber> subscribers;
  private final CountedSenders senders;
  private final Endpoints endpoints;
  private final TlsProvider provider;
  private final Testbed testbed;
  private final Duration setUp;
  private final String identitiesNote;

  private DeviceFleet(List<SimulatedDevice> devices, List<ChannelSubscriber> subscribers, CountedSenders senders, Endpoints endpoints,
      TlsProvider provider, Testbed testbed, Duration setUp, String identitiesNote) {
    this.devices = devices;
    this.subscribers = subscribers;
    this.senders = senders;
    this.endpoints = endpoints;
    this.provider = provider;
    this.testbed = testbed;
    this.setUp = setUp;
    this.identitiesNote = identitiesNote;
  }

  /**
   * Sets up this shard's fleet; starts the testbed for an embedded target. An encrypted CA key takes
   * its password from {@code caPasswords}. Fails in one line.
   */
  public static DeviceFleet open(Scenario scenario, DeviceOptions options, RunRecorder recorder, PasswordSource caPasswords) {
    return open(scenario, options, recorder, caPasswords, () -> false, new RunStage());
  }

  /**
   * As {@link #open(Scenario, DeviceOptions, RunRecorder, PasswordSource)}, given up when
   * {@code stopped} says so while the fleet's identities are issued in memory, and telling
   * {@code stage} which set-up step it is at.
   *
   * @throws java.util.concurrent.CancellationException once stopped
   */
  public static DeviceFleet open(Scenario scenario, DeviceOptions options, RunRecorder recorder, PasswordSource caPasswords,
      BooleanSupplier stopped, RunStage stage) {
    long t0 = System.nanoTime();
    Testbed.quietLogging(); // here, on one thread, before any device logs
    Target target = scenario.target();
    Fleet fleet = scenario.fleet();
    TlsProvider provider = JsseChoice.resolve(providerName(target.tls().provider()), !target.tls().groups().isEmpty(),
        fleet.manifest() == null ? fleet.keyType() : null);
    // Before the testbed starts: its server side is the JDK's TLS too.
    JsseChoice.ecdsa(target.tls().ecdsa().label());
    JsseChoice.keyShares(target.tls().keyShares().label());
    requireOwn(fleet.sourceAddresses());
    PlatformProfile profile = profile(target);
    List<ThingIdentity> identities;
    List<List<String>> channels = new ArrayList<>();
    Testbed testbed = null;
    Endpoints endpoints;
    String identitiesNote = null;
    try {
      IdentityFolder folder = fleet.identities() == null ? null : IdentityFolder.at(fleet.identities());
      List<ManifestEntry> stored = folder != null && folder.holdsFleet() ? slice(folder.read(), fleet) : null;
      if (folder != null && stored == null && !fleet.shard().isWhole()) {
        throw new IllegalArgumentException("fleet.identities: " + folder.dir() + " holds no fleet yet, and shards only read one: "
            + "run the scenario once without --shard to issue it");
      }
      if (folder != null) {
        identitiesNote = stored != null
            ? "identities: read from " + folder.dir() + " (" + stored.size() + " things, none issued)"
            : "identities: issued into " + folder.dir() + " (" + fleet.size() + " things); later runs read them from there";
      }
      if (target.embedded()) {
        List<Thing> things = stored != null ? storedThings(stored, fleet, channels) : newThings(fleet, channels);
        Testbed.Builder bed = Testbed.builder()
            .profile(target.profile() == Target.Profile.CYBUS ? Profile.CYBUS : Profile.MAINFLUX)
            .keyType(fleet.keyType())
            .things(things)
            .caPasswords(caPasswords);
        // The testbed makes a new CA per start unless its folder holds one: kept with the identities,
        // it still trusts them on the next run.
        if (folder != null) bed.dir(folder.dir());
        stage.enter("set-up: starting the embedded testbed");
        testbed = bed.build().start();
        for (Thing thing : things) {
          for (String channel : channels.get(0).subList(1, channels.get(0).size())) testbed.registry().connect(thing.thingId(), channel);
        }
        CertificateAuthority ca = testbed.certificateAuthority()
            .orElseThrow(() -> new IllegalStateException("the testbed has no CA key to issue the fleet's certificates"));
        identities = identities(fleet, folder, stored, things, ca, stopped, stage);
        TlsSettings tls = tls(target.tls(), provider).caBundle(testbed.caFile()).build();
        endpoints = new Endpoints(testbed.mqttUrl(), testbed.httpsUrl(), testbed.wsUrl(), tls, profile, fleet.sourceAddresses());
      } else if (!fleet.fromManifest()) {
        // Things made up here, certified by the platform's CA: for platforms that take any thing
        // its CA vouches for (Cybus: the CN is the user name).
        if (fleet.issuer() == null) {
          throw new IllegalArgumentException("a platform target needs fleet.manifest (things that exist on it) or fleet.issuer (its CA)");
        }
        CertificateAuthority ca = CaDirectory.at(fleet.issuer()).load(null, caPasswords);
        List<Thing> things = stored != null ? storedThings(stored, fleet, channels) : newThings(fleet, channels);
        identities = identities(fleet, folder, stored, things, ca, stopped, stage);
        endpoints = platformEndpoints(target, provider, profile, fleet.sourceAddresses());
      } else {
        List<ManifestEntry> entries = new ArrayList<>(fleet.size());
        for (int local = 0; local < fleet.size(); local++) {
          ManifestEntry entry = fleet.thing(local);
          entries.add(entry);
          channels.add(List.of(entry.thing().channelId()));
        }
        stage.enter("set-up: reading the manifest's identities");
        identities = FleetIdentities.read(entries);
        endpoints = platformEndpoints(target, provider, profile, fleet.sourceAddresses());
      }
    } catch (RuntimeException e) {
      if (testbed != null) testbed.close();
      throw e;
    }

    List<SimulatedDevice> devices = new ArrayList<>(identities.size());
    // The embedded testbed's end of each connection is a descriptor of this process too.
    int perConnection = (provider == TlsProvider.CONSCRYPT ? 3 : 1) + (testbed != null ? 1 : 0);
    FileDescriptorBudget descriptors = FileDescriptorBudget.ofThisProcess(perConnection);
    for (int local = 0; local < identities.size(); local++) {
      devices.add(new SimulatedDevice(fleet.deviceIndex(local), fleet.protocol(local).label(), identities.get(local),
          channels.get(local), endpoints, options, recorder, descriptors));
    }
    CountedSenders senders = CountedSenders.of(scenario.payload().template(), identities.stream().map(ThingIdentity::thingId).toList());
    List<ChannelSubscriber> subscribers = subscribers(fleet.subscribers(), devices, senders, endpoints, options, recorder);
    return new DeviceFleet(List.copyOf(devices), subscribers, senders, endpoints, provider, testbed,
        Duration.ofNanos(System.nanoTime() - t0), identitiesNote);
  }

  /**
   * {@code perChannel} subscribers for every channel the devices use, each with the identity of a
   * thing on that channel (and a client id of its own, so that it does not take the thing's session).
   * The first subscriber of a channel counts deliveries; the others add latency samples only.
   */
  private static List<ChannelSubscriber> subscribers(int perChannel, List<SimulatedDevice> devices, CountedSenders senders,
      Endpoints endpoints, DeviceOptions options, RunRecorder recorder) {
    if (perChannel == 0 || endpoints.mqtt() == null) return List.of();
    Map<String, List<ThingIdentity>> byChannel = new LinkedHashMap<>();
    for (SimulatedDevice device : devices) {
      for (String channel : device.channels()) byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(device.identity());
    }
    if (!endpoints.profile().topicNamesChannel() && byChannel.size() > 1) {
      // Topics without the channel (target.topic: dt/{thing_id}/{subtopic}): one channel's subscribers
      // see every channel's messages, and those of a second channel would count each one again.
      String first = byChannel.keySet().iterator().next();
      byChannel.keySet().retainAll(List.of(first));
    }
    List<ChannelSubscriber> subscribers = new ArrayList<>();
    byChannel.forEach((channel, things) -> {
      for (int i = 0; i < perChannel; i++) {
        subscribers.add(new ChannelSubscriber(things.get(i % things.size()), channel, subscribers.size(), i == 0, senders, endpoints,
            options, recorder));
      }
    });
    return List.copyOf(subscribers);
  }

  /**
   * This shard's things, with random ids and keys, each on all of {@code channelsPerThing} channels
   * that the whole shard shares; adds each thing's channels to {@code channels}.
   */
  private static List<Thing> newThings(Fleet fleet, List<List<String>> channels) {
    List<String> shared = new ArrayList<>();
    for (int c = 0; c < fleet.channelsPerThing(); c++) shared.add(UUID.randomUUID().toString());
    List<Thing> things = new ArrayList<>(fleet.size());
    for (int local = 0; local < fleet.size(); local++) {
      things.add(new Thing(UUID.randomUUID().toString(), UUID.randomUUID().toString(), shared.get(0)));
      channels.add(List.copyOf(shared));
    }
    return things;
  }

  /**
   * The identities of this shard's things, issued by {@code ca}: in memory; or, with
   * {@code fleet.identities}, read from the folder's stored fleet, or issued into it on a first run.
   */
  private static List<ThingIdentity> identities(Fleet fleet, IdentityFolder folder, List<ManifestEntry> stored, List<Thing> things,
      CertificateAuthority ca, BooleanSupplier stopped, RunStage stage) {
    if (folder == null) {
      stage.enter("set-up: issuing identities", things.size());
      return FleetIdentities.issue(ca, things, fleet.keyType(), ISSUED_DAYS, stopped, stage::step);
    }
    if (stored != null) {
      stage.enter("set-up: reading identities from " + folder.dir());
      return FleetIdentities.read(stored);
    }
    stage.enter("set-up: issuing identities into " + folder.dir(), things.size());
    return FleetIdentities.read(folder.issue(ca, things, fleet.keyType(), ISSUED_DAYS, stopped, stage::step));
  }

  /** This shard's rows of a stored fleet (the whole fleet's, in order), after the scenario checked that it has enough. */
  private static List<ManifestEntry> slice(List<ManifestEntry> whole, Fleet fleet) {
    if (whole.size() < fleet.count()) {
      throw new IllegalArgumentException("fleet.identities holds " + whole.size() + " things, the fleet needs " + fleet.count());
    }
    List<ManifestEntry> mine = new ArrayList<>(fleet.size());
    for (int local = 0; local < fleet.size(); local++) mine.add(whole.get(fleet.deviceIndex(local)));
    return mine;
  }

  /**
   * The stored things, each on {@code channelsPerThing} channels that the shard shares: the stored
   * channel first (the one all of them were issued with), then new ones.
   */
  private static List<Thing> storedThings(List<ManifestEntry> stored, Fleet fleet, List<List<String>> channels) {
    String first = stored.get(0).thing().channelId();
    List<String> shared = new ArrayList<>();
    shared.add(first != null ? first : UUID.randomUUID().toString());
    while (shared.size() < fleet.channelsPerThing()) shared.add(UUID.randomUUID().toString());
    List<Thing> things = new ArrayList<>(stored.size());
    for (ManifestEntry entry : stored) {
      things.add(new Thing(entry.thing().thingId(), entry.thing().thingKey(), shared.get(0)));
      channels.add(List.copyOf(shared));
    }
    return things;
  }

  /** Every source address must be one this machine can connect from: said once, before any device tries. */
  private static void requireOwn(List<InetAddress> addresses) {
    for (InetAddress address : addresses) {
      try (Socket probe = new Socket()) {
        probe.bind(new InetSocketAddress(address, 0));
      } catch (IOException e) {
        throw new IllegalArgumentException("fleet.sourceAddresses: cannot connect from " + address.getHostAddress()
            + " (" + e.getMessage() + "): give addresses of this machine's own interfaces");
      }
    }
  }

  private static Endpoints platformEndpoints(Target target, TlsProvider provider, PlatformProfile profile,
      List<InetAddress> sourceAddresses) {
    TlsSettings.Builder tls = tls(target.tls(), provider);
    if (target.ca() != null) tls.caBundle(target.ca());
    else tls.systemTrustStore(true);
    return new Endpoints(target.mqtt(), target.https(), target.wss(), tls.build(), profile, sourceAddresses);
  }

  private static TlsSettings.Builder tls(TlsOptions options, TlsProvider provider) {
    TlsSettings.Builder tls = TlsSettings.builder()
        .versions(options.versions().toArray(String[]::new))
        .sessionResumption(options.resumption())
        .provider(provider);
    if (!options.hostnameVerification()) tls.insecureSkipHostnameVerification();
    if (!options.groups().isEmpty()) tls.namedGroups(options.groups().toArray(String[]::new));
    return tls;
  }

  private static String providerName(TlsOptions.Provider provider) {
    return switch (provider) {
      case AUTO -> "auto";
      case JDK -> "jdk";
      case CONSCRYPT -> "conscrypt";
      case BOUNCYCASTLE -> "bcjsse";
    };
  }

  private static PlatformProfile profile(Target target) {
    PlatformProfile base = switch (target.profile()) {
      case CYBUS -> PlatformProfile.cybus();
      case GENERIC -> PlatformProfile.generic(target.topic() != null ? target.topic() : PlatformProfile.CHANNELS_TOPIC,
          target.path() != null ? target.path() : PlatformProfile.CHANNELS_PATH);
      case MAINFLUX, MAGISTRALA -> PlatformProfile.mainflux();
    };
    return base.withAuthorization(switch (target.authorization()) {
      case NONE -> AuthorizationFormat.NONE;
      case PLAIN -> AuthorizationFormat.PLAIN;
      case THING -> AuthorizationFormat.THING;
      case CLIENT -> AuthorizationFormat.CLIENT;
    });
  }

  /** The options every device of a scenario gets. */
  public static DeviceOptions options(MqttOptions mqtt) {
    DeviceOptions d = DeviceOptions.defaults();
    return new DeviceOptions(mqtt.qos(), (int) mqtt.keepAlive().toSeconds(), mqtt.cleanSession(), d.connectTimeout(),
        d.ackTimeout(), mqtt.retained(), d.inFlightPerDevice(), d.reconnect());
  }

  public List<SimulatedDevice> devices() {
    return devices;
  }

  public List<ChannelSubscriber> subscribers() {
    return subscribers;
  }

  /** Whose messages the subscribers count, and how many of others' they left out. */
  public CountedSenders senders() {
    return senders;
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The JSSE provider the devices use (auto resolved). */
  public TlsProvider provider() {
    return provider;
  }

  /** The testbed started for an embedded target; empty for a platform. */
  public Optional<Testbed> testbed() {
    return Optional.ofNullable(testbed);
  }

  /** Where a {@code fleet.identities} folder's identities came from; empty when they live in memory. */
  public Optional<String> identitiesNote() {
    return Optional.ofNullable(identitiesNote);
  }

  /** How long identities, TLS and the testbed took to set up. */
  public Duration setUp() {
    return setUp;
  }

  /**
   * Connects started and not yet ended (a platform answering late, after their phase gave up
   * waiting) should end within their timeout: wait for them, so that each is counted before the
   * report, and count those that still do not end as timed out.
   */
  private void awaitConnectsUnderWay() {
    Duration timeout = devices.isEmpty() ? Duration.ZERO : devices.get(0).connectTimeout().plusSeconds(5);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SimulatedDevice device : devices) {
      while (device.isOpening() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      // Longer than that (a starved machine, a platform that hangs): counted as timed out now.
      device.abandonConnect();
      device.retire();
    }
  }

  /** Disconnects what is still connected and stops the testbed, if this fleet started one. */
  @Override
  public void close() {
    subscribers.forEach(ChannelSubscriber::close);
    try (var closing = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (SimulatedDevice device : devices) closing.submit(device::disconnect);
    }
    awaitConnectsUnderWay();
    if (testbed != null) testbed.close();
  }
}
