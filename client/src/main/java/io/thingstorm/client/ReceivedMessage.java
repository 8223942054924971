package io.thingstorm.client;

/** A message a device received: where it was published and its bytes, unchanged. */
public record ReceivedMessage(String topic, byte[] payload, int qos, boolean retained) {}
