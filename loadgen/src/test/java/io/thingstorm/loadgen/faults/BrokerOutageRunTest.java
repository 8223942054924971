package io.thingstorm.loadgen.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingstorm.client.Backoff;
import io.thingstorm.loadgen.metrics.Metric;
import io.thingstorm.loadgen.metrics.ProtocolCounts;
import io.thingstorm.loadgen.metrics.TimelinePoint;
import io.thingstorm.loadgen.report.ReportReader;
import io.thingstorm.loadgen.report.RunReport;
import io.thingstorm.loadgen.run.ChannelSubscriber;
import io.thingstorm.loadgen.run.DeviceFleet;
import io.thingstorm.loadgen.run.RunEngine;
import io.thingstorm.loadgen.run.RunResult;
import io.thingstorm.loadgen.scenario.Scenario;
import io.thingstorm.testing.Mosquitto;
import io.thingstorm.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run across a broker outage: mosquitto stops 3 s into the publish phase and comes back 5 s
 * later. The run goes on to the end; the report shows the outage second by second as errors by
 * class (connection_lost, then not_connected and connection_refused), counts one reconnect per
 * device, and its numbers add up. Its subscriber comes back too, receives again, and the report says
 * that what it missed meanwhile was its gap.
 */
class BrokerOutageRunTest {
  static final int DEVICES = 20;
  static final int MESSAGES = 550; // 50/s for 11 s
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), 2, 0.5);

  @TempDir Path dir;

  @Test
  void theOutageIsErrorsOverTime_notACrash_andEveryDeviceComesBack() throws Exception {
    TestPki pki = TestPki.create(dir);
    try (Mosquitto broker = Mosquitto.start(dir, pki.caFile(), pki.serverCert(), pki.serverKey())) {
      Path file = dir.resolve("outage.yaml");
      Files.writeString(file, """
          name: outage
          target:
            mqtt: mqtts://localhost:%d
            ca: %s
            profile: mainflux
          fleet:
            count: %d
            issuer: %s
            protocols: {mqtt3: 50, mqtt5: 50}
            subscribers: 1
          phases:
            - connect: {rate: 200}
            - publish: {rate: 50, duration: 11s}
            - disconnect: {}
          """.formatted(broker.tlsPort, pki.caFile(), DEVICES, pki.dir));
      Scenario scenario = Scenario.load(file);
      Path out = dir.resolve("out");
      AtomicBoolean outageStarted = new AtomicBoolean();
      List<long[]> outage = new CopyOnWriteArrayList<>(); // {second stopped, second back}
      Thread[] saboteur = new Thread[1];
      RunEngine engine = RunEngine.builder().scenario(scenario).out(out)
          .deviceOptions(DeviceFleet.options(scenario.fleet().mqtt()).withReconnect(BACKOFF))
          .progress(point -> {
            // 3 s of publishing, then the broker goes away for 5 s.
            if (point.acknowledgedPerSecond() > 0 && point.second() >= 3 && outageStarted.compareAndSet(false, true)) {
              saboteur[0] = Thread.ofVirtual().start(() -> {
                long stopped = System.nanoTime();
                broker.stop();
                sleep(Duration.ofSeconds(5));
                broker.restart();
                outage.add(new long[] {point.second(), (System.nanoTime() - stopped) / 1_000_000});
              });
            }
          })
          .build();

      RunResult result = engine.run();
      saboteur[0].join();

      assertThat(result.stoppedBecause()).isEmpty();
      RunReport report = ReportReader.read(out);
      ProtocolCounts all = report.totals();
      // Every device lost its connection once and came back once; so did the subscriber.
      assertThat(report.reconnects()).isEqualTo(DEVICES);
      assertThat(all.failures().get("connection_lost")).isGreaterThanOrEqualTo(DEVICES + 1);
      assertThat(report.notes()).anyMatch(n -> n.startsWith("subscribers lost their connection 1 time and connected again"));
      long subscriberConnects = report.histogram(Metric.CONNECT, ChannelSubscriber.PROTOCOL).getTotalCount();
      assertThat(subscriberConnects).isEqualTo(2);
      assertThat(all.failures()).containsKeys("connection_refused", "not_connected");
      // No reconnect storm: with at least 125 ms, then 250, 500, 1000 ms between attempts, a 5 s outage
      // holds at most 8 failed attempts per device.
      assertThat(all.failures().get("connection_refused")).isLessThanOrEqualTo(DEVICES * 8L + 6); // the subscriber: once a second

      // The numbers add up: each due message was sent or found its device offline; each sent one was
      // acknowledged or failed; each connect (first or again) was timed.
      long notConnected = all.failures().get("not_connected");
      assertThat(all.sent() + notConnected).isEqualTo(MESSAGES);
      long publishFailures = all.sent() - all.acknowledged();
      assertThat(publishFailures).isNotNegative();
      // Failures are exactly: the offline ones, the unacknowledged ones, one lost connection per device,
      // and the refused reconnect attempts.
      assertThat(all.failureCount()).isEqualTo(notConnected + publishFailures + DEVICES + 1 + all.failures().get("connection_refused"));
      assertThat(report.histogram(Metric.CONNECT, null).getTotalCount()).isEqualTo(DEVICES + report.reconnects() + subscriberConnects);
      assertThat(report.histogram(Metric.PUBLISH, null).getTotalCount()).isEqualTo(all.acknowledged());

      // Over time: publishing, then seconds of errors only, then publishing again.
      List<TimelinePoint> timeline = report.timeline();
      int firstError = indexOf(timeline, p -> p.errors().containsKey("connection_lost"));
      assertThat(firstError).isPositive();
      assertThat(timeline.subList(0, firstError)).anyMatch(p -> p.acknowledgedPerSecond() > 0);
      int refusedSeconds = (int) timeline.stream().filter(p -> p.errors().containsKey("connection_refused")).count();
      assertThat(refusedSeconds).isGreaterThanOrEqualTo(3);
      int lastError = lastIndexOf(timeline, p -> p.errors().containsKey("connection_refused"));
      assertThat(timeline.subList(lastError + 1, timeline.size())).anyMatch(p -> p.acknowledgedPerSecond() > 0);
      assertThat(timeline.subList(lastError + 1, timeline.size())).as("the subscriber receives again")
          .anyMatch(p -> p.receivedPerSecond() > 0);
      System.out.printf("loadgen across a %d ms outage: %d due, %d sent, %d acknowledged, %d publish failures, %d not connected, "
              + "failures %s, %d reconnects, connected max %d%n",
          outage.get(0)[1], MESSAGES, all.sent(), all.acknowledged(), publishFailures, notConnected, all.failures(),
          report.reconnects(), report.connectedMax());
    }
  }

  private static int indexOf(List<TimelinePoint> timeline, java.util.function.Predicate<TimelinePoint> p) {
    for (int i = 0; i < timeline.size(); i++) if (p.test(timeline.get(i))) return i;
    return -1;
  }

  private static int lastIndexOf(List<TimelinePoint> timeline, java.util.function.Predicate<TimelinePoint> p) {
    for (int i = timeline.size() - 1; i >= 0; i--) if (p.test(timeline.get(i))) return i;
    return -1;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
