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

  @Test
  void blocksInTheFirstAndLastBinsCount() {
    // The sums run over the bins that hold blocks only; the outermost bins are theirs too.
    LoudnessHistogram top = new LoudnessHistogram();
    top.add(energy(40)); // above +30 LUFS: the last bin
    assertEquals(40, top.gatedLoudness(-10), 1e-9);
    LoudnessHistogram bottom = new LoudnessHistogram();
    bottom.add(energy(-69.995)); // the first bin
    assertEquals(-69.995, bottom.gatedLoudness(-10), 1e-9);
    bottom.clear();
    assertTrue(Double.isInfinite(bottom.gatedLoudness(-10)));
    bottom.add(energy(-30));
    assertEquals(-30, bottom.gatedLoudness(-10), 1e-9, "cleared, then one block");
    bottom.addAll(top);
    assertEquals(40, bottom.gatedLoudness(-10), 1e-9, "-30 is gated by the mean of -30 and 40");
    LoudnessHistogram quiet = new LoudnessHistogram();
    quiet.add(energy(-20));
    quiet.add(energy(-25));
    top.addAll(quiet); // lower blocks than any of top's
    double mean = (energy(40) + energy(-20) + energy(-25)) / 3;
    assertEquals(-0.691 + 10 * Math.log10(mean), top.gatedLoudness(-200), 1e-9, "all three");
  }

  @Test
  void gatesAndRangeAreTheWholeRangeSumsBitForBit() {
    // The sums skip the empty bins below the lowest and above the highest block; adding the zeros
    // of empty bins changes nothing, so every value equals the sums over all 10,000 bins.
    java.util.Random rnd = new java.util.Random(3);
    LoudnessHistogram h = new LoudnessHistogram();
    WholeRange ref = new WholeRange();
    for (int i = 0; i < 3000; i++) {
      double e = energy(-75 + 110 * rnd.nextDouble() * rnd.nextDouble()); // -75 to +35 LUFS
      if (i == 1500) {
        h.clear(); // a reset: the next blocks' bins are the lowest and highest
        ref = new WholeRange();
      }
      h.add(e);
      ref.add(e);
      if (i % 50 == 49 || i < 20) {
        for (double gate : new double[] {-10, -20}) {
          assertEquals(
              Double.doubleToRawLongBits(ref.gated(gate)),
              Double.doubleToRawLongBits(h.gatedLoudness(gate)),
              "after " + i);
          assertEquals(
              Double.doubleToRawLongBits(ref.range(gate)),
              Double.doubleToRawLongBits(h.range(gate)),
              "after " + i);
        }
      }
    }
  }

  /** The histogram's gate and range as they were written before: sums over every bin. */
  private static final class WholeRange {
    private static final int BINS = 10_000;
    private final long[] counts = new long[BINS];
    private final double[] energies = new double[BINS];
    private long total;

    void add(double energy) {
      double lufs = -0.691 + 10 * Math.log10(energy);
      if (!(lufs >= -70)) {
        return;
      }
      int bin = Math.min(BINS - 1, (int) ((lufs + 70) / 0.01));
      counts[bin]++;
      energies[bin] += energy;
      total++;
    }

    int first(double gate) {
      if (total == 0) {
        return -1;
      }
      double sum = 0;
      for (int i = 0; i < BINS; i++) {
        sum += energies[i];
      }
      double threshold = -0.691 + 10 * Math.log10(sum / total) + gate;
      return Math.max(0, Math.min(BINS - 1, (int) Math.ceil((threshold + 70) / 0.01 - 0.5)));
    }

    double gated(double gate) {
      int first = first(gate);
      if (first < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      double sum = 0;
      long n = 0;
      for (int i = first; i < BINS; i++) {
        sum += energies[i];
        n += counts[i];
      }
      return n == 0 ? Double.NEGATIVE_INFINITY : -0.691 + 10 * Math.log10(sum / n);
    }

    double range(double gate) {
      int first = first(gate);
      if (first < 0) {
        return 0;
      }
      long n = 0;
      for (int i = first; i < BINS; i++) {
        n += counts[i];
      }
      if (n == 0) {
        return 0;
      }
      return Math.max(0, percentile(first, n, 0.95) - percentile(first, n, 0.10));
    }

    private double percentile(int first, long n, double p) {
      long rank = Math.round(p * (n - 1));
      long seen = 0;
      for (int i = first; i < BINS; i++) {
        seen += counts[i];
        if (seen > rank) {
          return -70 + (i + 0.5) * 0.01;
        }
      }
      return -70 + (BINS - 0.5) * 0.01;
    }
  }
}
