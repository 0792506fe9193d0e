package io.tonearm.daemon.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateStageTest {

  @Test
  void equalRatesPassTheSamplesThroughUntouched() {
    RateStage s = new RateStage(48_000, 48_000, 2, 1024);
    float[] in = {0.1f, 0.2f, 0.3f, 0.4f};
    assertEquals(2, s.process(in, 0, 2));
    assertSame(in, s.data);
    assertEquals(0, s.lead());
    assertEquals(0, s.flush());
  }

  @Test
  void leadIsTheFilterDelayLessWhatAlreadyCameOut() {
    RateStage s = new RateStage(44_100, 48_000, 1, 1024);
    assertEquals(0, s.lead(), "a fresh stage gives input frame 0 first");
    int out = s.process(new float[1000], 0, 1000);
    // 1089 frames come out of the filter, less its ramp-in of 64 * 160 / 147 = 69.7, rounded.
    assertEquals((int) Math.ceil(1000 * 160 / 147.0) - 70, out);
    // Input frame 1000 emerges at raw frame (1000 + 64) * 160 / 147 = 1158.1.
    assertEquals(1158 - 1089, s.lead());
    int tail = s.flush();
    assertEquals((int) Math.ceil(1064 * 160 / 147.0) - 1089, tail, "the flush covers all input");
    assertEquals(1089, out + tail, "1000 frames at 44.1 kHz are 1088.4 at 48 kHz");
    assertEquals(0, s.lead(), "after a flush it starts again from silence, aligned");
  }

  @Test
  void exactRatiosAreReducedAndOddOnesApproximatedClosely() {
    assertArrayEquals(new long[] {147, 160}, RateStage.ratio(44_100, 48_000));
    assertArrayEquals(new long[] {2, 1}, RateStage.ratio(96_000, 48_000));
    long[] odd = RateStage.ratio(44_101, 48_000); // 48000 phases exactly: too many
    assertTrue(odd[1] <= 4096 && odd[0] <= 16_384);
    double err = Math.abs((double) odd[1] / odd[0] / (48_000.0 / 44_101) - 1);
    assertTrue(err < 1e-7, "relative error " + err);
    long[] huge = RateStage.ratio(383_998, 8000); // exact needs 191999 input frames per cycle
    assertTrue(huge[1] <= 4096 && huge[0] <= 16_384);
    assertTrue(Math.abs((double) huge[1] / huge[0] / (8000 / 383_998.0) - 1) < 1e-4);
    RateStage s = new RateStage(44_101, 48_000, 2, 512); // builds, and converts
    assertTrue(s.converts());
    assertTrue(s.process(new float[1024], 0, 512) > 0);
  }
}
