package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoudnessHistogramTest {

  private static double energy(double lufs) {
    return Math.pow(10, (lufs + 0.691) / 10);
  }

  @Test
  void relativeGateDropsBlocksTenLuBelowTheMean() {
    LoudnessHistogram h = new LoudnessHistogram();
    for (int i = 0; i < 100; i++) {
      h.add(energy(-20));
    }
    for (int i = 0; i < 100; i++) {
      h.add(energy(-40)); // more than 10 LU below the mean (-23 LUFS): gated
    }
    h.add(energy(-80)); // below the absolute gate: never counted
    assertEquals(200, h.blocks());
    assertEquals(-20, h.gatedLoudness(-10), 1e-9);
  }

  @Test
  void rangeIsTheTenthToNinetyFifthPercentile() {
    LoudnessHistogram h = new LoudnessHistogram();
    for (int i = 0; i <= 100; i++) {
      h.add(energy(-30 + i * 0.1)); // -30 .. -20 LUFS evenly
    }
    // 10th percentile -29, 95th -20.5: 8.5 LU, to the 0.01 LU bins.
    assertEquals(8.5, h.range(-20), 0.02);
  }

  @Test
  void albumAddsBlocks() {
    LoudnessHistogram a = new LoudnessHistogram();
    LoudnessHistogram b = new LoudnessHistogram();
    a.add(energy(-20));
    b.add(energy(-20));
    b.add(energy(-20));
    a.addAll(b);
    assertEquals(3, a.blocks());
    assertTrue(Double.isInfinite(new LoudnessHistogram().gatedLoudness(-10)));
  }
}
