package io.tonearm.daemon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.Job;
import org.junit.jupiter.api.Test;

class RunningJobTest {
  private static final long TICK_NANOS = 250_000_000L;

  private final RunningJob job = new RunningJob("j1", "test", "t", "", ctx -> {}, 0);
  private long now = 1_000_000_000L;
  private long done;

  /** Ticks for {@code seconds} with {@code perTick} items done each tick. */
  private void run(double seconds, int perTick) {
    for (int i = 0; i < seconds * 4; i++) {
      now += TICK_NANOS;
      done += perTick;
      job.progress(done, "");
      job.sample(now);
    }
  }

  private Job started() {
    job.total(100_000);
    job.started(1);
    job.sample(now);
    return job.toProto();
  }

  @Test
  void theRateIsAnExponentiallyWeightedAverageWithATenSecondTimeConstant() {
    assertEquals(0, started().getRatePerS(), "no rate before the first progress");
    run(40, 10); // 40 items a second
    assertEquals(40, job.toProto().getRatePerS(), 1e-9);
    assertEquals((100_000 - 1600) * 1000 / 40, job.toProto().getEtaMs());
    run(10, 5); // then 20 a second for one time constant: 20 + 20 / e
    assertEquals(20 + 20 / Math.E, job.toProto().getRatePerS(), 1e-6);
  }

  @Test
  void aStallOfTwoSecondsMovesTheEtaByAFifthNotByHalf() {
    started();
    run(40, 10);
    long before = job.toProto().getEtaMs();
    run(2, 0); // one slow item
    assertEquals(40 * Math.exp(-0.2), job.toProto().getRatePerS(), 1e-6);
    assertEquals(Math.exp(0.2), (double) job.toProto().getEtaMs() / before, 1e-3);
  }
}
