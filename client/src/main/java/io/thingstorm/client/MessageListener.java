package io.thingstorm.client;

/** Hears messages on a subscription. Called on the transport's thread: return quickly. */
@FunctionalInterface
public interface MessageListener {
  void onMessage(ReceivedMessage message);
}
