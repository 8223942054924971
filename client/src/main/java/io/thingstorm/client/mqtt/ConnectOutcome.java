package io.thingstorm.client.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttActionListener;

/**
 * A connect's outcome, told by Paho (v3 or v5) as the connect's action listener, and awaited by the
 * connecting thread.
 *
 * <p>Why not Paho's {@code token.waitForCompletion}: it waits in {@code Object.wait} on the token's
 * monitor, which on a virtual thread costs an inflated monitor, a timed wait through the JDK's
 * unparker, and a re-entry race with Paho's {@code notifyAll}. A future parks and unparks the
 * virtual thread directly. Measured with both ways taken in turn in one JVM against mosquitto
 * (batches of 100 connects, 8 at a time): 0.13 ms less JVM CPU per connect on average over nine
 * runs, less in seven of them; a small gain, near this machine's run-to-run spread.
 */
final class ConnectOutcome implements IMqttActionListener, MqttActionListener {
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  @Override
  public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
    done.complete(null);
  }

  @Override
  public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable failure) {
    done.completeExceptionally(failure);
  }

  @Override
  public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
    done.complete(null);
  }

  @Override
  public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable failure) {
    done.completeExceptionally(failure);
  }

  /**
   * Null once connected; otherwise what failed: Paho's exception, a {@link TimeoutException} when
   * nothing was told in time, or the {@link InterruptedException} (the thread's flag set again).
   */
  Throwable await(Duration timeout) {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }
}
