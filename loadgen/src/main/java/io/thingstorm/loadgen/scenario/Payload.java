package io.thingstorm.loadgen.scenario;

import io.thingstorm.client.senml.SenmlFormat;

/**
 * What each message carries.
 *
 * @param format SenML JSON or CBOR
 * @param size bytes each message is padded to; 0 when sent as rendered
 * @param template compiled from the scenario's records; render it for every message
 */
public record Payload(SenmlFormat format, int size, PayloadTemplate template) {}
