package io.thingstorm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx on loopback for a test: one HTTPS server that requires a client certificate from the
 * given CA bundle, with the locations the test writes. It runs as one foreground process with every
 * path in the test's folder, so that it needs neither /var nor a worker user.
 */
public final class Nginx implements AutoCloseable {
  private final Process process;
  private final Path errorLog;
  public final int port;

  private Nginx(Process process, Path errorLog, int port) {
    this.process = process;
    this.errorLog = errorLog;
    this.port = port;
  }

  /**
   * Starts nginx; {@code locations} is nginx text inside the server block, which may use
   * {@code $ssl_client_s_dn_cn} (the client certificate's CN: the thing key under Mainflux) and
   * {@code $connection_upgrade} (for proxying WebSockets).
   */
  public static Nginx start(Path dir, Path caFile, Path serverCert, Path serverKey, String locations) {
    return start(dir, caFile, serverCert, serverKey, locations, "TLSv1.2 TLSv1.3");
  }

  /** With the given {@code ssl_protocols}, such as "TLSv1.2" for a server like Cybus's broker. */
  public static Nginx start(Path dir, Path caFile, Path serverCert, Path serverKey, String locations, String protocols) {
    Path binary = DebianTool.require("nginx", "nginx-light");
    int port = FreePort.next();
    Path home = dir.resolve("nginx-" + port);
    Path errorLog = home.resolve("error.log");
    String config = """
        daemon off;
        master_process off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 512; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          map $http_upgrade $connection_upgrade { default upgrade; '' close; }
          # The client certificate's CN, as Mainflux's nginx config derives it.
          map $ssl_client_s_dn $ssl_client_s_dn_cn { default ""; ~CN=(?<CN>[^,/]+) $CN; }
          server {
            listen 127.0.0.1:%2$d ssl;
            ssl_certificate %3$s;
            ssl_certificate_key %4$s;
            ssl_client_certificate %5$s;
            ssl_verify_client on;
            ssl_protocols %7$s;
        %6$s
          }
        }
        """.formatted(home.toAbsolutePath(), port, serverCert.toAbsolutePath(), serverKey.toAbsolutePath(),
        caFile.toAbsolutePath(), locations, protocols);
    try {
      Files.createDirectories(home);
      Path file = Files.writeString(home.resolve("nginx.conf"), config);
      Process process = new ProcessBuilder(List.of(binary.toString(), "-p", home.toString(), "-c", file.toString(), "-e", errorLog.toString()))
          .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start();
      Nginx nginx = new Nginx(process, errorLog, port);
      try {
        FreePort.awaitListening(port, Duration.ofSeconds(10));
      } catch (AssertionError e) {
        nginx.close();
        throw new AssertionError(e.getMessage() + "; nginx said: " + nginx.log() + read(home.resolve("stdout.log")), e);
      }
      return nginx;
    } catch (IOException e) {
      throw new AssertionError("cannot start nginx: " + e.getMessage(), e);
    }
  }

  public String log() {
    return read(errorLog);
  }

  /** The access log (nginx's combined format: each line starts with the client's address). */
  public String accessLog() {
    return read(errorLog.resolveSibling("access.log"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
