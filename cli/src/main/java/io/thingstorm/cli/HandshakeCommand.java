package io.thingstorm.cli;

import io.thingstorm.certs.CaDirectory;
import io.thingstorm.certs.CertificateAuthority;
import io.thingstorm.certs.CertsException;
import io.thingstorm.certs.KeyType;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.tls.TlsProvider;
import io.thingstorm.client.tls.TlsSettings;
import io.thingstorm.loadgen.fleet.JsseChoice;
import io.thingstorm.loadgen.handshake.HandshakeReport;
import io.thingstorm.loadgen.handshake.HandshakeResult;
import io.thingstorm.loadgen.handshake.HandshakeStorm;
import io.thingstorm.loadgen.report.ReportWriter;
import io.thingstorm.testbed.Testbed;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code thingstorm handshake}: mutual TLS handshakes alone against one endpoint, to set beside {@code openssl s_time}. */
@Command(
    name = "handshake",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Handshake storm: TCP connect, a mutual TLS handshake, close, back to back (--concurrency) or at a set "
          + "rate (--rate, open model).",
      "Reports handshakes/s, latency percentiles, the share the server resumed, failures by class and the "
          + "client's CPU per handshake.",
      "Exit codes: 0 done, 2 a bad option, 1 a failure."
    })
final class HandshakeCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
  // Past the 30 days under which an identity warns that it expires soon.
  private static final long ISSUED_DAYS = 60;

  @Spec CommandSpec spec;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "the TLS endpoint (an MQTTS broker, an HTTPS server...)")
  String target;

  @Option(names = "--embedded", description = "start the embedded testbed and aim at its MQTTS port; identities from its CA")
  boolean embedded;

  @Option(names = "--resume", description = "keep each worker's session and resume it (default: full handshakes only)")
  boolean resume;

  @Option(names = "--tls", paramLabel = "1.2|1.3", defaultValue = "1.3", description = "the TLS version (default: ${DEFAULT-VALUE})")
  String tls;

  @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p256",
      description = "key type of the identities issued here (default: ${DEFAULT-VALUE}; also rsa-2048...)")
  String keyType;

  @Option(names = "--cert", paramLabel = "FILE", description = "one thing's certificate (PEM), with --key")
  Path cert;

  @Option(names = "--key", paramLabel = "FILE", description = "that thing's private key (PEM: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)")
  Path key;

  @Option(names = "--key-password", paramLabel = "PASSWORD", description = "for an encrypted --key; or set THINGSTORM_KEY_PASSWORD")
  String keyPassword;

  @Option(names = "--ca-password", paramLabel = "PASSWORD", description = "for an encrypted CA key in --ca-dir; or set THINGSTORM_CA_PASSWORD")
  String caPassword;

  @Option(names = "--ca-dir", paramLabel = "DIR", description = "a CA folder (ca.crt, ca.key) to issue one identity per worker, in memory")
  Path caDir;

  @Option(names = "--ca", paramLabel = "FILE", description = "CA bundle to trust the server by (default with --ca-dir: its ca.crt)")
  Path ca;

  @Option(names = "--no-hostname-check", description = "accept any server certificate from a trusted CA, whatever its name (as s_time does)")
  boolean noHostnameCheck;

  @Option(names = "--provider", paramLabel = "jdk|conscrypt|bcjsse|auto", defaultValue = "auto",
      description = "JSSE provider (default: auto = Conscrypt where it loads, else the JDK's; bcjsse = Bouncy Castle's)")
  String provider;

  @Option(names = "--ecdsa", paramLabel = "auto|jdk|conscrypt", defaultValue = "auto",
      description = "whose ECDSA the JDK's TLS uses (default: auto = Conscrypt's where it loads: a third less CPU per JDK handshake; jdk = plain JSSE)")
  String ecdsa;

  @Option(names = "--key-shares", paramLabel = "auto|jdk", defaultValue = "auto",
      description = "whose code makes the JDK's TLS key shares (default: auto = Bouncy Castle's X25519 and Conscrypt's P-256: about a tenth less CPU per JDK handshake; jdk = the JDK's own)")
  String keyShares;

  @ArgGroup(exclusive = true)
  Load load;

  static final class Load {
    @Option(names = "--concurrency", paramLabel = "N", description = "N workers handshaking back to back (closed loop; default 1)")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "R", description = "R handshakes/s due at even intervals (open model), latency from the due time")
    Double rate;
  }

  @Option(names = "--workers", paramLabel = "N", description = "with --rate: workers to carry the rate (default 8)")
  Integer workers;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "10s", description = "counted time, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", description = "not counted, before (default: ${DEFAULT-VALUE}; the JIT still compiles)")
  String warmup;

  @Option(names = "--ticket-wait", paramLabel = "TIME",
      description = "after each handshake, read this long: takes TLS 1.3 session tickets and sees a refused client "
          + "certificate, which TLS 1.3 reports only after the client's handshake (default: 20ms with --resume under 1.3, else 0)")
  String ticketWait;

  @Option(names = "--groups", paramLabel = "G1,G2", split = ",",
      description = "key exchange groups to offer, in order, with the JDK's TLS (auto then takes it; Conscrypt cannot be told its groups): e.g. x25519, one TLS 1.3 key share instead of two (default: the provider's)")
  List<String> groups;

  @Option(names = "--check-every-chain",
      description = "check the server's chain anew in every handshake, as plain JSSE does (default: a chain accepted once is remembered)")
  boolean checkEveryChain;

  @Option(names = "--out", paramLabel = "DIR", description = "also write the figures as DIR/handshake.json")
  Path out;

  @Override
  public Integer call() {
    if (embedded == (target != null)) throw new UsageError("give either --target HOST:PORT or --embedded");
    Duration counted = duration("--duration", duration, false);
    Duration warm = duration("--warmup", warmup, true);
    Duration wait = ticketWait == null ? null : duration("--ticket-wait", ticketWait, true);
    KeyType type;
    try {
      type = KeyType.parse(keyType);
    } catch (CertsException e) {
      throw new UsageError("--key-type: " + e.getMessage());
    }
    int concurrency = load != null && load.concurrency != null ? load.concurrency : 1;
    double rate = load != null && load.rate != null ? load.rate : 0;
    if (concurrency < 1) throw new UsageError("--concurrency must be at least 1, not " + concurrency);
    if (load != null && load.rate != null && !(rate > 0 && Double.isFinite(rate))) throw new UsageError("--rate must be positive, not " + load.rate);
    if (rate > 0) concurrency = workers != null ? workers : 8;
    if (workers != null && (workers < 1 || rate == 0)) throw new UsageError("--workers goes with --rate and must be at least 1");
    if (!tls.equals("1.2") && !tls.equals("1.3")) throw new UsageError("--tls must be 1.2 or 1.3, not " + tls);
    if (groups != null) {
      try {
        TlsSettings.builder().namedGroups(groups.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        throw new UsageError("--groups: " + e.getMessage());
      }
    }
    TlsProvider jsse;
    try {
      jsse = JsseChoice.resolve(provider, groups != null, type);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageError("--provider: " + e.getMessage());
    }
    if (groups != null && jsse == TlsProvider.CONSCRYPT) {
      throw new UsageError("--groups: Conscrypt cannot be told its key exchange groups: use --provider jdk, or auto (which then takes the JDK's)");
    }
    try {
      JsseChoice.ecdsa(ecdsa);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageError("--ecdsa: " + e.getMessage());
    }
    try {
      JsseChoice.keyShares(keyShares);
    } catch (IllegalArgumentException e) {
      throw new UsageError("--key-shares: " + e.getMessage());
    }

    Testbed testbed = null;
    try {
      String host;
      int port;
      Path trust;
      List<ThingIdentity> identities;
      if (embedded) {
        if (cert != null || key != null || caDir != null || ca != null) {
          throw new UsageError("--embedded issues its own identities: --cert, --key, --ca-dir and --ca go with --target");
        }
        testbed = Testbed.builder().keyType(type).build().start();
        host = "127.0.0.1";
        port = testbed.mqttPort();
        trust = testbed.caFile();
        identities = issue(testbed.certificateAuthority().orElseThrow(), type, concurrency);
      } else {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) throw new UsageError("--target must be HOST:PORT, not " + target);
        host = target.substring(0, colon);
        port = port(target.substring(colon + 1));
        if (cert != null || key != null) {
          if (cert == null || key == null || caDir != null) throw new UsageError("--cert and --key go together, and not with --ca-dir");
          identities = List.of(ThingIdentity.builder().certificateFile(cert).privateKeyFile(key)
              .keyPasswords(KeyPasswords.forThingKey(keyPassword)).build());
        } else if (caDir != null) {
          CaDirectory folder = CaDirectory.at(caDir);
          identities = issue(folder.load(null, KeyPasswords.forCaKey(caPassword)), type, concurrency);
          if (ca == null) ca = folder.certFile("ca");
        } else {
          throw new UsageError("a --target needs a client identity: --cert and --key, or --ca-dir to issue them");
        }
        if (ca == null) throw new UsageError("--ca FILE: the CA bundle to trust the server by");
        trust = ca;
      }
      TlsSettings.Builder settings = TlsSettings.builder().caBundle(trust).versions(tls).sessionResumption(resume).provider(jsse)
          .rememberAcceptedChains(!checkEveryChain);
      if (groups != null) settings.namedGroups(groups.toArray(new String[0]));
      if (noHostnameCheck) {
        settings.insecureSkipHostnameVerification();
        InsecureWarning.print(spec.commandLine().getErr(), "--no-hostname-check");
      }
      if (out != null) ReportWriter.requireWritableFolder(out); // now, not after the storm has run
      HandshakeStorm storm = HandshakeStorm.builder().target(host, port).tls(settings.build()).identities(identities)
          .concurrency(concurrency).rate(rate).warmup(warm).duration(counted).ticketWait(wait).build();

      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf("thingstorm handshake: %s:%d, %s, warm-up %s, then %s counted%n", host, port, JsseChoice.describe(jsse), warmup, duration);
      stdout.flush();
      HandshakeResult result = storm.run();
      stdout.print(HandshakeReport.text(result));
      if (out != null) stdout.println("figures: " + HandshakeReport.writeJson(result, out));
      stdout.flush();
      if (result.succeeded() == 0 && result.failed() > 0) {
        // Written above all the same: the failures by class are what the user needs to see.
        FailureKind most = Collections.max(result.failures().entrySet(), Map.Entry.comparingByValue()).getKey();
        throw new IllegalStateException("no handshake succeeded: " + result.failed() + " failed, most of them " + most.title());
      }
      return 0;
    } finally {
      if (testbed != null) testbed.close();
    }
  }

  /** One identity per worker, so that each resumes its own session as a device would. */
  private static List<ThingIdentity> issue(CertificateAuthority authority, KeyType type, int count) {
    List<ThingIdentity> identities = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = "handshake-" + UUID.randomUUID();
      identities.add(ThingIdentity.builder().certifiedKey(authority.issueThing(name, type, ISSUED_DAYS)).build());
    }
    return identities;
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) return port;
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new UsageError("--target: not a port: " + text);
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}. */
  private static Duration duration(String option, String text, boolean zeroAllowed) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) throw new UsageError(option + " must be a time such as 500ms, 10s or 2m, not '" + text + "'");
    double amount = Double.parseDouble(m.group(1));
    double nanos = amount * switch (m.group(2)) {
      case "ms" -> 1e6;
      case "s" -> 1e9;
      default -> 60e9;
    };
    if (nanos > 24 * 3600e9) throw new UsageError(option + " must be at most a day, not " + text);
    Duration d = Duration.ofNanos(Math.round(nanos));
    if (d.isZero() && !zeroAllowed) throw new UsageError(option + " must be longer than 0, not " + text);
    return d;
  }
}
