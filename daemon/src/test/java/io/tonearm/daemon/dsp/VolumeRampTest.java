package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VolumeRampTest {

  @Test
  void aVolumeStepRampsWithoutJumping() {
    int rate = 48_000;
    VolumeRamp ramp = new VolumeRamp(1f);
    float[] dc = new float[2 * 1000];
    Arrays.fill(dc, 1f); // a DC signal shows the gain itself
    ramp.setTarget(0f);
    ramp.process(dc, 0, 1000, 2, rate);
    float step = (float) (1.0 / (VolumeRamp.RAMP_SECONDS * rate));
    for (int i = 2; i < dc.length; i += 2) {
      assertTrue(dc[i - 2] - dc[i] <= step + 1e-6, "no jump at frame " + i / 2);
      assertEquals(dc[i], dc[i + 1]); // both channels share the gain
    }
    assertEquals(0f, dc[dc.length - 1]); // 10 ms = 480 frames, well within 1000
    assertEquals(0f, ramp.current());
  }

  @Test
  void volumeCurveIsCubicAndMuteSilences() {
    assertEquals(1f, VolumeRamp.gainFor(100, false));
    assertEquals(0.125f, VolumeRamp.gainFor(50, false), 1e-6);
    assertEquals(0f, VolumeRamp.gainFor(100, true));
    assertEquals(0f, VolumeRamp.gainFor(0, false));
  }
}
