package io.thingstorm.testbed.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose first request head has not arrived within a deadline of its
 * accept (the TLS handshake included). Jetty's idle timeout restarts with every byte, so a
 * slow-loris client that trickles its headers a byte at a time would hold the connection forever.
 */
final class HeaderDeadline extends Handler.Wrapper implements Connection.Listener {
  private final Duration timeout;
  private final Scheduler scheduler;
  private final Map<Connection, Scheduler.Task> waiting = new ConcurrentHashMap<>();

  HeaderDeadline(Duration timeout, Scheduler scheduler, Handler next) {
    super(next);
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    // HTTP/1.1 only: the TLS layer beneath it opens too, and so does a WebSocket after its upgrade.
    if (!(connection instanceof AbstractMetaDataConnection)) return;
    waiting.put(connection, scheduler.schedule(() -> expire(connection), timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  private void expire(Connection connection) {
    if (waiting.remove(connection) != null) connection.getEndPoint().close();
  }

  @Override
  public void onClosed(Connection connection) {
    Scheduler.Task task = waiting.remove(connection);
    if (task != null) task.cancel();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    // Jetty calls handlers once the head is complete: the deadline is met.
    Scheduler.Task task = waiting.remove(request.getConnectionMetaData().getConnection());
    if (task != null) task.cancel();
    return super.handle(request, response, callback);
  }
}
