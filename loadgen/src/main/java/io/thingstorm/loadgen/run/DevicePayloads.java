package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.scenario.PayloadTemplate;
import java.util.List;

/**
 * The payload template bound to each device's thing and to each of its channels, on first use, so
 * that a message renders only what changes in it ({@link PayloadTemplate.Bound}). Used by one
 * thread at a time: a publish phase's schedule.
 */
final class DevicePayloads {
  private final PayloadTemplate template;
  private final List<SimulatedDevice> devices;
  private final PayloadTemplate.Bound[][] bound;

  DevicePayloads(PayloadTemplate template, List<SimulatedDevice> devices) {
    this.template = template;
    this.devices = devices;
    this.bound = new PayloadTemplate.Bound[devices.size()][];
  }

  /** The template for message {@code counter} of device {@code index}, on its channel {@code channelOf(counter)}. */
  PayloadTemplate.Bound of(int index, long counter) {
    SimulatedDevice device = devices.get(index);
    PayloadTemplate.Bound[] channels = bound[index];
    if (channels == null) channels = bound[index] = new PayloadTemplate.Bound[device.channels().size()];
    int channel = (int) (counter % channels.length);
    if (channels[channel] == null) channels[channel] = template.bind(device.identity().thingId(), device.channels().get(channel));
    return channels[channel];
  }
}
