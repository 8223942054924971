package io.thingstorm.loadgen.run;

import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.RunRecorder;

/**
 * How one message is counted, and under which subtopic it goes: into the report's figures
 * ({@link #MEASURED}), or into the warm-up's own count only ({@link #WARM_UP}), under a subtopic the
 * run's subscribers leave out.
 */
public enum MessageTally {
  /** Latency from the due time, counts, failures by class; under the subtopic named after the protocol. */
  MEASURED {
    String subtopic(String protocol) {
      return protocol; // a subscriber then knows how a message came
    }

    void lag(RunRecorder recorder, String protocol, long nanos) {
      recorder.record(Metric.LAG, protocol, nanos);
    }

    void sent(RunRecorder recorder, String protocol, int bytes) {
      recorder.sent(protocol, bytes);
    }

    void acknowledged(RunRecorder recorder, String protocol, long sinceDueNanos) {
      recorder.record(Metric.PUBLISH, protocol, sinceDueNanos);
      recorder.acknowledged(protocol);
    }

    void failed(RunRecorder recorder, String protocol, String failureClass) {
      recorder.failure(failureClass, protocol);
    }
  },

  /** Only whether it was acknowledged ({@link RunRecorder#warmUp}); under the subtopic {@value #WARM_UP_SUBTOPIC}. */
  WARM_UP {
    String subtopic(String protocol) {
      return WARM_UP_SUBTOPIC;
    }

    void lag(RunRecorder recorder, String protocol, long nanos) {}

    void sent(RunRecorder recorder, String protocol, int bytes) {}

    void acknowledged(RunRecorder recorder, String protocol, long sinceDueNanos) {
      recorder.warmUp(true);
    }

    void failed(RunRecorder recorder, String protocol, String failureClass) {
      recorder.warmUp(false);
    }
  };

  /** Where warm-up messages go, in place of the protocol's subtopic. */
  public static final String WARM_UP_SUBTOPIC = "warmup";

  abstract String subtopic(String protocol);

  /** How far behind its due time the generator started the message. */
  abstract void lag(RunRecorder recorder, String protocol, long nanos);

  abstract void sent(RunRecorder recorder, String protocol, int bytes);

  abstract void acknowledged(RunRecorder recorder, String protocol, long sinceDueNanos);

  abstract void failed(RunRecorder recorder, String protocol, String failureClass);
}
