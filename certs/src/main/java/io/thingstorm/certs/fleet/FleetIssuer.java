package io.thingstorm.certs.fleet;

import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertifiedKey;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyType;
import io.thingstorm.certs.pem.KeyFormat;
import io.thingstorm.certs.pem.OutputFiles;
import io.thingstorm.certs.pem.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Issues a certificate and key for every thing of a fleet into {@code DIR/things/<id>.crt|.key} and
 * writes {@code DIR/things.csv}. Key generation and signing dominate, so the work is spread over one
 * thread per core.
 *
 * <pre>{@code
 * List<ManifestEntry> fleet = FleetIssuer.builder(ca).keyType(KeyType.EC_P256).build()
 *     .issue(dir, Thing.generate(10_000, 1));
 * }</pre>
 */
public final class FleetIssuer {
  /** Thing ids become file names: nothing that could climb out of the folder or need quoting. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final CertificateAuthority ca;
  private final KeyType keyType;
  private final long days;
  private final KeyFormat keyFormat;
  private final char[] keyPassword;
  private final int threads;
  private final boolean force;
  private final BooleanSupplier stopped;
  private final Runnable issued;

  private FleetIssuer(Builder b) {
    this.ca = b.ca;
    this.keyType = b.keyType;
    this.days = b.days;
    this.keyFormat = b.keyFormat;
    this.keyPassword = b.keyPassword;
    this.threads = b.threads;
    this.force = b.force;
    this.stopped = b.stopped;
    this.issued = b.issued;
    keyFormat.requireFits(keyType);
  }

  public static Builder builder(CertificateAuthority ca) {
    return new Builder(ca);
  }

  /**
   * What {@link #issue} refuses before it makes any key: a thing id that cannot be a file name or that
   * appears twice, a manifest there already, or (without {@code force}) a thing's files there already.
   * For a caller that makes other files first (a new CA), so that bad input leaves nothing behind.
   */
  public static void requireIssuable(Path dir, List<Thing> things, boolean force) {
    replacedFleet(dir, things, force);
  }

  /**
   * As {@link #requireIssuable}, returning the fleet a forced issue replaces (none without --force or
   * without a manifest), read once here for the clean-up after.
   */
  private static List<ManifestEntry> replacedFleet(Path dir, List<Thing> things, boolean force) {
    Path manifest = dir.resolve(ThingManifest.FILE_NAME);
    OutputFiles.requireAbsent(manifest, force);
    List<ManifestEntry> replaced = List.of();
    if (force && Files.isRegularFile(manifest)) {
      // --force removes what the old manifest names and the new fleet has not: it must be readable.
      try {
        replaced = ThingManifest.read(manifest);
      } catch (CertsException e) {
        throw new CertsException("--force replaces the fleet of " + manifest + ", which cannot be read, so its old keys could not be "
            + "removed: mend or delete it first (" + e.getMessage() + ")", e);
      }
    }
    Set<String> ids = new HashSet<>();
    for (Thing thing : things) {
      if (!SAFE_ID.matcher(thing.thingId()).matches()) {
        throw new CertsException("thing id '" + thing.thingId() + "' cannot be a file name (letters, digits, '.', '_' and '-' only)");
      }
      if (!ids.add(thing.thingId())) throw new CertsException("thing id " + thing.thingId() + " appears twice");
    }
    Path thingsDir = dir.resolve("things");
    if (!force && Files.isDirectory(thingsDir)) {
      for (Thing thing : things) {
        for (String ext : List.of(".crt", ".key")) {
          Path file = thingsDir.resolve(thing.thingId() + ext);
          if (Files.exists(file)) throw new CertsException(file + " exists already (kept; use --force to replace it)");
        }
      }
    }
    return replaced;
  }

  /** Issues every thing's identity and writes the manifest last, so that it lists only whole identities. */
  public List<ManifestEntry> issue(Path dir, List<Thing> things) {
    List<ManifestEntry> replaced = replacedFleet(dir, things, force);
    Path manifest = dir.resolve(ThingManifest.FILE_NAME);
    Path thingsDir = dir.resolve("things");
    // Everything is written into a hidden folder first, and put in place only once whole: renamed to
    // things/ for a new fleet, or file by file (each rename atomic) into an existing one. A failure or
    // a Ctrl-C meanwhile leaves the fleet that was there as it was, and no hidden folder.
    Path staging = dir.resolve(".things.partial-" + Long.toHexString(System.nanoTime()));
    try {
      // Owner-only, as the keys in it are: nobody else may swap a thing's key or certificate.
      Files.createDirectories(staging, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new CertsException("cannot create " + staging + ": " + e.getMessage(), e);
    }
    ManifestEntry[] entries = new ManifestEntry[things.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable worker = () -> {
      int i;
      while (failure.get() == null && (i = next.getAndIncrement()) < entries.length) {
        try {
          if (stopped.getAsBoolean()) throw new CancellationException("stopped while issuing the fleet's identities");
          entries[i] = issueOne(staging, thingsDir, things.get(i));
          issued.run();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    int workers = Math.max(1, Math.min(threads, things.size()));
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    Thread onInterrupt = new Thread(() -> {
      failure.compareAndSet(null, new CertsException("interrupted"));
      deleteStaging(staging, pool);
    }, "thingstorm-bulk-cleanup");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    boolean allRan = false;
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < workers; t++) futures.add(pool.submit(worker));
      for (Future<?> f : futures) f.get();
      allRan = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CertsException("interrupted after " + Arrays.stream(entries).filter(x -> x != null).count() + " things");
    } catch (ExecutionException e) {
      throw new CertsException("bulk issuing failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
      if (!allRan || failure.get() != null) deleteStaging(staging, pool);
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs, or ran: the staging folder is its to delete
      }
    }
    if (failure.get() != null) {
      // Stopped by its caller, even if the JVM's shutdown hook above got there first.
      if (stopped.getAsBoolean()) throw new CancellationException("stopped while issuing the fleet's identities");
      throw failure.get();
    }
    putInPlace(staging, thingsDir);
    List<ManifestEntry> list = List.of(entries);
    ThingManifest.write(manifest, list, force);
    removeLeftOver(replaced, list, thingsDir);
    return list;
  }

  /**
   * After --force, the files of the old fleet's things that the new fleet has not: left there, an old
   * thing's private key would outlive the fleet it belonged to. Only files (never folders) in things/
   * that the old manifest named go; the new manifest is in place before any does. One that cannot
   * be removed does not keep the others: they are all tried, and the failures named together.
   */
  private static void removeLeftOver(List<ManifestEntry> old, List<ManifestEntry> fleet, Path thingsDir) {
    Set<Path> kept = new HashSet<>();
    for (ManifestEntry e : fleet) {
      kept.add(e.cert().toAbsolutePath().normalize());
      kept.add(e.key().toAbsolutePath().normalize());
    }
    Path inside = thingsDir.toAbsolutePath().normalize();
    List<String> failed = new ArrayList<>();
    for (ManifestEntry e : old) {
      for (Path file : List.of(e.cert(), e.key())) {
        Path f = file.toAbsolutePath().normalize();
        if (kept.contains(f) || !inside.equals(f.getParent()) || Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) continue;
        try {
          Files.deleteIfExists(f);
        } catch (IOException notRemoved) {
          failed.add(f + " (" + OutputFiles.reason(notRemoved) + ")");
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new CertsException("the new fleet is in place, but " + failed.size() + " file(s) of the old one could not be removed: "
          + String.join(", ", failed));
    }
  }

  private static void putInPlace(Path staging, Path thingsDir) {
    try {
      if (!Files.exists(thingsDir)) {
        Files.move(staging, thingsDir, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      try (var files = Files.list(staging)) {
        for (Path file : files.toList()) {
          Files.move(file, thingsDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.delete(staging);
    } catch (IOException | UncheckedIOException e) {
      throw new CertsException("cannot move the new identities from " + staging + " to " + thingsDir + ": " + e.getMessage(), e);
    }
  }

  /** A fleet that failed or was interrupted half-way leaves nothing: its hidden folder goes, once the workers have stopped. */
  private static void deleteStaging(Path staging, ExecutorService pool) {
    try {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    OutputFiles.deleteTree(staging); // what it leaves is hidden (a dot name), and no reader takes it for a fleet
  }

  private ManifestEntry issueOne(Path staging, Path thingsDir, Thing thing) {
    CertifiedKey identity = ca.issueThing(thing.thingKey(), keyType, days);
    String keyPem = Pem.privateKey(identity.privateKey(), keyFormat, keyPassword);
    String certPem = Pem.certificates(identity.chain());
    Path cert = staging.resolve(thing.thingId() + ".crt");
    Path key = staging.resolve(thing.thingId() + ".key");
    OutputFiles.createPrivate(key, keyPem);
    OutputFiles.createPublic(cert, certPem);
    return new ManifestEntry(thing, thingsDir.resolve(cert.getFileName()), thingsDir.resolve(key.getFileName()));
  }

  public static final class Builder {
    private final CertificateAuthority ca;
    private KeyType keyType = KeyType.EC_P256;
    private long days = 730;
    private KeyFormat keyFormat = KeyFormat.PKCS8;
    private char[] keyPassword;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean force;
    private BooleanSupplier stopped = () -> false;
    private Runnable issued = () -> {};

    private Builder(CertificateAuthority ca) {
      this.ca = ca;
    }

    public Builder keyType(KeyType keyType) {
      this.keyType = keyType;
      return this;
    }

    public Builder days(long days) {
      if (days < 1) throw new CertsException("days must be at least 1, not " + days);
      this.days = days;
      return this;
    }

    public Builder keyFormat(KeyFormat keyFormat) {
      this.keyFormat = keyFormat;
      return this;
    }

    /** Writes every key as encrypted PKCS#8 under this password. */
    public Builder keyPassword(char[] keyPassword) {
      this.keyPassword = keyPassword;
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 1) throw new CertsException("threads must be at least 1, not " + threads);
      this.threads = threads;
      return this;
    }

    /** Replaces existing files instead of refusing. */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /**
     * Gives up, leaving nothing written, once {@code stopped} says so: thousands of RSA keys take
     * minutes, and a Ctrl-C should not wait for them. {@link #issue} then throws CancellationException.
     */
    public Builder stopWhen(BooleanSupplier stopped) {
      this.stopped = stopped;
      return this;
    }

    /** Called after each thing's files are written, from the issuing threads (for progress). */
    public Builder onIssued(Runnable issued) {
      this.issued = issued;
      return this;
    }

    public FleetIssuer build() {
      return new FleetIssuer(this);
    }
  }
}
