package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KWeightingTest {

  @Test
  void coefficientsAt48kMatchTheBs1770Table() {
    // ITU-R BS.1770-4 annex 1, tables 1 and 2.
    KWeighting k = new KWeighting(48_000, 1);
    assertEquals(1.53512485958697, k.b0, 1e-6);
    assertEquals(-2.69169618940638, k.b1, 1e-6);
    assertEquals(1.19839281085285, k.b2, 1e-6);
    assertEquals(-1.69065929318241, k.a1, 1e-6);
    assertEquals(0.73248077421585, k.a2, 1e-6);
    assertEquals(-1.99004745483398, k.c1, 1e-6);
    assertEquals(0.99007225036621, k.c2, 1e-6);
  }

  @Test
  void gainAt1kHzIsAbout0_691dBAtEveryRate() {
    // The -0.691 constant of BS.1770 cancels the K filter's gain at 1 kHz.
    for (int rate : new int[] {44_100, 48_000, 96_000, 192_000}) {
      KWeighting k = new KWeighting(rate, 1);
      int n = rate * 2;
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) Math.sin(2 * Math.PI * 1000 * i / rate);
      }
      k.filterEnergy(x, 0, 1, rate, 0); // settle
      double e = k.filterEnergy(x, rate, 1, rate, 0) / rate;
      double gainDb = 10 * Math.log10(e / 0.5);
      // The bilinear transform bends the response a little with the rate: 0.680 dB at 96 kHz, 0.671
      // at 192.
      assertEquals(0.691, gainDb, 0.025, "rate " + rate);
    }
  }

  @Test
  void aPairOfChannelsGivesBitForBitWhatEachAloneGives() {
    java.util.Random rnd = new java.util.Random(4);
    float[] x = new float[3 * 5000]; // three interleaved channels; the pair is channels 1 and 2
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 0.3);
    }
    KWeighting alone = new KWeighting(44_100, 3);
    KWeighting paired = new KWeighting(44_100, 3);
    for (int at = 0; at < 5000; at += 1250) {
      double e1 = alone.filterEnergy(x, at * 3 + 1, 3, 1250, 1);
      double e2 = alone.filterEnergy(x, at * 3 + 2, 3, 1250, 2);
      double[] e = new double[2];
      paired.filterEnergyPair(x, at * 3 + 1, 3, 1250, 1, e);
      assertEquals(e1, e[0], 0);
      assertEquals(e2, e[1], 0);
    }
  }

  /** The filter as written before silence was skipped: every sample through both biquads. */
  private static double[] reference(KWeighting k, float[] x, int stride, int ch, double[] st) {
    double s1 = st[0];
    double s2 = st[1];
    double t1 = st[2];
    double t2 = st[3];
    double sum = 0;
    for (int p = ch; p < x.length; p += stride) {
      double v = x[p];
      double y = k.b0 * v + s1;
      s1 = k.b1 * v - k.a1 * y + s2;
      s2 = k.b2 * v - k.a2 * y;
      double z = y + t1;
      t1 = -2 * y - k.c1 * z + t2;
      t2 = y - k.c2 * z;
      sum += z * z;
    }
    st[0] = Math.abs(s1) < 1e-30 ? 0 : s1;
    st[1] = Math.abs(s2) < 1e-30 ? 0 : s2;
    st[2] = Math.abs(t1) < 1e-30 ? 0 : t1;
    st[3] = Math.abs(t2) < 1e-30 ? 0 : t2;
    return new double[] {sum};
  }

  @Test
  void silenceIsSkippedWithoutChangingAnyEnergy() {
    // Blocks of noise, long silences (the filters come to rest), a single click after silence,
    // one channel silent while the other plays: alone and paired, every block's energy is the
    // reference's bit for bit.
    java.util.Random rnd = new java.util.Random(9);
    int block = 882;
    float[][] blocks = new float[60][2 * block];
    for (int b = 0; b < blocks.length; b++) {
      for (int i = 0; i < block; i++) {
        boolean loud = b < 5 || (b >= 40 && b < 45);
        blocks[b][2 * i] = loud ? (float) (rnd.nextGaussian() * 0.3) : 0f;
        blocks[b][2 * i + 1] = b >= 50 ? (float) (rnd.nextGaussian() * 0.1) : 0f;
      }
    }
    blocks[30][2 * 500] = 0.7f; // a click after 25 silent blocks
    blocks[31][2 * 10 + 1] = -0f; // negative zero is silence too
    KWeighting alone = new KWeighting(44_100, 2);
    KWeighting paired = new KWeighting(44_100, 2);
    KWeighting ref = new KWeighting(44_100, 1);
    double[][] st = new double[2][4];
    int skipped = 0;
    for (float[] x : blocks) {
      double[] e = new double[2];
      paired.filterEnergyPair(x, 0, 2, block, 0, e);
      for (int c = 0; c < 2; c++) {
        double want = reference(ref, x, 2, c, st[c])[0];
        assertEquals(want, alone.filterEnergy(x, c, 2, block, c), 0);
        assertEquals(want, e[c], 0);
        skipped += want == 0 ? 1 : 0;
      }
    }
    assertEquals(true, skipped > 30, "silent blocks seen: " + skipped);
  }
}
