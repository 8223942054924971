package io.thingstorm.testbed.mqtt;

import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Publishes into the broker from inside the process, as the HTTP and WebSocket adapters of a platform do. */
public final class BrokerPublisher {
  private final CompletableFuture<PublishService> service;

  /** The service arrives once the broker has started its extensions; publishes before then wait for it. */
  BrokerPublisher(CompletableFuture<PublishService> service) {
    this.service = service;
  }

  /** Publishes at QoS 1; the future completes once the broker has taken the message. */
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    PublishService ready = service.getNow(null);
    if (ready != null) return publish(ready, topic, payload);
    return service.thenCompose(s -> publish(s, topic, payload));
  }

  private static CompletableFuture<Void> publish(PublishService service, String topic, byte[] payload) {
    return service.publish(Builders.publish().topic(topic).qos(Qos.AT_LEAST_ONCE).payload(ByteBuffer.wrap(payload)).build());
  }
}
