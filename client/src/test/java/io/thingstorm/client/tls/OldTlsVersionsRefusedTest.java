package io.thingstorm.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingstorm.certs.KeyType;
import io.thingstorm.client.DeviceException;
import io.thingstorm.client.FailureKind;
import io.thingstorm.client.ThingIdentity;
import io.thingstorm.client.Transport;
import io.thingstorm.client.TransportConfig;
import io.thingstorm.client.mqtt.Mqtt3Transport;
import io.thingstorm.testing.DebianTool;
import io.thingstorm.testing.ExternalCommand;
import io.thingstorm.testing.FreePort;
import io.thingstorm.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.0 and 1.1 are never offered, whatever the provider: the sockets a thing's TLS makes enable
 * TLS 1.3 and 1.2 alone, and a real server that speaks only TLS 1.1 or 1.0 ({@code openssl s_server
 * -tls1_1}, at security level 0 so that OpenSSL 3 itself would still talk 1.1) is refused with
 * "TLS version refused" over MQTT.
 */
class OldTlsVersionsRefusedTest {
  @TempDir static Path dir;
  static TestPki pki;
  static List<Process> servers = new ArrayList<>();
  static int tls11Port;
  static int tls10Port;

  @BeforeAll
  static void start() {
    pki = TestPki.create(dir);
    tls11Port = sServer("-tls1_1");
    tls10Port = sServer("-tls1");
    // The server does speak TLS 1.1 to a client that offers it: what the thing refuses is the version.
    ExternalCommand.Result s11 = ExternalCommand.run(List.of(DebianTool.require("openssl", "openssl").toString(), "s_client",
        "-connect", "127.0.0.1:" + tls11Port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", pki.caFile().toString()),
        new byte[0], Duration.ofSeconds(10));
    assertThat(s11.output()).contains("Protocol  : TLSv1.1");
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (Process p : servers) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /** An s_server that speaks one old version only; it would accept any client certificate. */
  private static int sServer(String version) {
    Path openssl = DebianTool.require("openssl", "openssl");
    int port = FreePort.next();
    Path log = dir.resolve("s_server" + version + ".log");
    try {
      servers.add(new ProcessBuilder(openssl.toString(), "s_server", "-accept", "127.0.0.1:" + port, version,
          "-cipher", "DEFAULT:@SECLEVEL=0", "-cert", pki.serverCert().toString(), "-key", pki.serverKey().toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start());
      FreePort.awaitListening(port, Duration.ofSeconds(10));
      return port;
    } catch (IOException | AssertionError e) {
      throw new AssertionError("openssl s_server " + version + " did not start: " + e.getMessage() + "; " + read(log), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static List<TlsProvider> providersHere() {
    List<TlsProvider> here = new ArrayList<>();
    for (TlsProvider provider : TlsProvider.values()) {
      try {
        provider.provider();
        here.add(provider);
      } catch (IllegalStateException missing) {
        // not on this class path: nothing to check
      }
    }
    assertThat(here).contains(TlsProvider.JDK, TlsProvider.CONSCRYPT);
    return here;
  }

  @Test
  void everyProvidersSocketsEnableTls13And12Only() throws IOException {
    ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("sockets", KeyType.EC_P256, 90)).build();
    for (TlsProvider provider : providersHere()) {
      ThingTls tls = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).build().forIdentity(thing);
      for (var factory : List.of(tls.socketFactory(), tls.socketFactoryWithoutEndpointCheck())) {
        try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
          assertThat(socket.getEnabledProtocols()).as(provider.name()).isNotEmpty().isSubsetOf("TLSv1.3", "TLSv1.2");
        }
      }
      ThingTls tls12 = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).tls12Only().build().forIdentity(thing);
      try (SSLSocket socket = (SSLSocket) tls12.socketFactory().createSocket()) {
        assertThat(socket.getEnabledProtocols()).as(provider.name()).containsExactly("TLSv1.2");
      }
    }
  }

  @Test
  void aServerSpeakingOnlyTls11Or10IsRefusedByEveryProvider() {
    for (TlsProvider provider : providersHere()) {
      TlsSettings tls = TlsSettings.builder().caBundle(pki.caFile()).provider(provider).build();
      for (int port : new int[] {tls11Port, tls10Port}) {
        ThingIdentity thing = ThingIdentity.builder().certifiedKey(pki.ca.issueThing("old-" + port, KeyType.EC_P256, 90)).build();
        try (Transport mqtt = new Mqtt3Transport(TransportConfig.builder().url(URI.create("mqtts://localhost:" + port))
            .identity(thing).tls(tls.forIdentity(thing)).connectTimeout(Duration.ofSeconds(5)).build())) {
          assertThatThrownBy(mqtt::connect).as("%s against port %d", provider, port)
              .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TLS_VERSION_REFUSED));
        }
      }
    }
  }
}
