package io.thingstorm.benchmarks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A client and a server {@link SSLEngine} wired back to back through two byte buffers: a TLS
 * connection with no socket. {@link #handshake} runs the handshake and then one byte each way, so
 * that TLS 1.3's session ticket (sent after the handshake) reaches the client as it would on a
 * socket. The CPU time spent inside each engine (wrap, unwrap, delegated tasks) is added up apart.
 */
final class EnginePair {
  private static final int NET_BUFFER = 64 * 1024; // several records: an RSA-4096 chain is one flight
  private final ByteBuffer clientToServer = ByteBuffer.allocate(NET_BUFFER);
  private final ByteBuffer serverToClient = ByteBuffer.allocate(NET_BUFFER);
  private final ByteBuffer clientIn = ByteBuffer.allocate(NET_BUFFER);
  private final ByteBuffer serverIn = ByteBuffer.allocate(NET_BUFFER);
  private final ByteBuffer clientOut = ByteBuffer.allocate(1);
  private final ByteBuffer serverOut = ByteBuffer.allocate(1);

  long clientNanos;
  long serverNanos;
  /**
   * The thread's CPU time where the JVM measures it, else the wall clock: on a busy machine the
   * wall time inside an engine includes the time the thread waited for a core.
   */
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();

  private static long now() {
    return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  /** Handshakes and exchanges one byte each way; fails when the engines stop making progress. */
  void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    clientToServer.clear();
    serverToClient.clear();
    clientIn.clear();
    serverIn.clear();
    clientOut.clear().put((byte) 1).flip();
    serverOut.clear().put((byte) 2).flip();
    long start = now();
    client.beginHandshake();
    long afterClient = now();
    server.beginHandshake();
    long afterServer = now();
    clientNanos += afterClient - start;
    serverNanos += afterServer - afterClient;
    int idle = 0;
    while (clientIn.position() == 0 || serverIn.position() == 0) {
      int before = clientToServer.position() + serverToClient.position() + clientIn.position() + serverIn.position();

      long t0 = now();
      check(client.wrap(clientOut, clientToServer), client);
      runTasks(client);
      long t1 = now();
      check(server.wrap(serverOut, serverToClient), server);
      runTasks(server);
      long t2 = now();

      clientToServer.flip();
      serverToClient.flip();
      long t3 = now();
      check(client.unwrap(serverToClient, clientIn), client);
      runTasks(client);
      long t4 = now();
      check(server.unwrap(clientToServer, serverIn), server);
      runTasks(server);
      long t5 = now();
      clientToServer.compact();
      serverToClient.compact();

      clientNanos += (t1 - t0) + (t4 - t3);
      serverNanos += (t2 - t1) + (t5 - t4);
      int after = clientToServer.position() + serverToClient.position() + clientIn.position() + serverIn.position();
      idle = after == before && client.getHandshakeStatus() == server.getHandshakeStatus() ? idle + 1 : 0;
      if (idle > 50) {
        throw new SSLException("the engines stopped making progress: client " + client.getHandshakeStatus()
            + ", server " + server.getHandshakeStatus());
      }
    }
  }

  /** Sends close_notify both ways so that native engines (Conscrypt) free their state now. */
  static void close(SSLEngine client, SSLEngine server) {
    client.closeOutbound();
    server.closeOutbound();
  }

  private static void check(SSLEngineResult result, SSLEngine engine) throws SSLException {
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLException((engine.getUseClientMode() ? "client" : "server") + " engine closed during the handshake");
    }
  }

  private static void runTasks(SSLEngine engine) {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) task.run();
  }
}
