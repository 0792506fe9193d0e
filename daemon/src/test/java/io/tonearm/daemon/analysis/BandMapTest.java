package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.SpectrumView;
import org.junit.jupiter.api.Test;

class BandMapTest {

  private static BandMap octave(int fraction, boolean base10) {
    SpectrumView v =
        SpectrumView.newBuilder()
            .setLayout(BandLayout.BAND_LAYOUT_OCTAVE)
            .setOctaveFraction(fraction)
            .setOctaveBase10(base10)
            .setMinHz(20)
            .setMaxHz(20000)
            .build();
    return new BandMap(v, 8192, 48_000);
  }

  @Test
  void thirdOctaveCentresFollowAnsiS111() {
    // Base 10: G = 10^0.3, third-octave mid-bands 1000 * 10^(x/10): 1259, 1585, ... exactly.
    BandMap b10 = octave(3, true);
    int k = indexOf(b10.centres, 1000f);
    assertEquals(1000 * Math.pow(10, 0.1), b10.centres[k + 1], 1e-2);
    assertEquals(30, b10.bands); // 25.1 Hz .. 19.95 kHz (19.95 Hz falls below min_hz 20)
    // Base 2: 1000 * 2^(1/3) = 1259.92.
    BandMap b2 = octave(3, false);
    assertEquals(1259.92, b2.centres[indexOf(b2.centres, 1000f) + 1], 1e-2);
    // Even fractions straddle 1 kHz: 1000 * 2^(+-1/12) for 1/6 octave.
    BandMap sixth = octave(6, false);
    assertTrue(indexOf(sixth.centres, 1000f) < 0);
  }

  @Test
  void melAndBarkInvertExactly() {
    for (double hz : new double[] {20, 440, 1000, 8000, 19000}) {
      assertEquals(hz, BandMap.melToHz(BandMap.mel(hz)), 1e-6);
      assertEquals(hz, BandMap.barkToHz(BandMap.bark(hz)), 1e-6);
    }
    assertEquals(1000, BandMap.mel(1000), 0.5); // 1000 mel at 1 kHz by construction
  }

  @Test
  void bandPowersFromThePackedTransformAreTheSumsOverAnArrayOfPowersBitForBit() {
    // Third octaves from 20 Hz to Nyquist on a 256-point transform at 44.1 kHz (172 Hz a bin): the
    // lowest bands are narrower than a bin and read DC (bin 0), the top band's upper edge (22.6
    // kHz) passes Nyquist and sums it (bin 128, packed apart from the others). Random spectrum and
    // weights.
    SpectrumView v =
        SpectrumView.newBuilder()
            .setLayout(BandLayout.BAND_LAYOUT_OCTAVE)
            .setOctaveFraction(3)
            .setMinHz(20)
            .setMaxHz(22_050)
            .build();
    int n = 256;
    BandMap map = new BandMap(v, n, 44_100);
    assertEquals(0, map.lo[0]);
    assertEquals(map.lo[0], map.hi[0]);
    assertEquals(n / 2 + 1, map.hi[map.bands - 1]);
    java.util.Random rnd = new java.util.Random(7);
    float[] x = new float[n];
    float[] weight = new float[n / 2 + 1];
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < n; i++) {
        x[i] = (float) (rnd.nextGaussian() * 100);
      }
      for (int k = 0; k < weight.length; k++) {
        weight[k] = (float) rnd.nextDouble();
      }
      // The former definition: |X[k]|^2 into an array, then each band's sum over it in bin order.
      float[] power = new float[n / 2 + 1];
      power[0] = x[0] * x[0];
      power[n / 2] = x[1] * x[1];
      for (int k = 1; k < n / 2; k++) {
        power[k] = x[2 * k] * x[2 * k] + x[2 * k + 1] * x[2 * k + 1];
      }
      double enbw = 1.5;
      float[] got = new float[map.bands];
      map.powers(x, weight, enbw, got);
      for (int b = 0; b < map.bands; b++) {
        double want;
        if (map.hi[b] == map.lo[b]) {
          want = power[map.lo[b]] * weight[map.lo[b]];
        } else {
          double sum = 0;
          for (int k = map.lo[b]; k < map.hi[b]; k++) {
            sum += power[k] * weight[k];
          }
          want = sum / enbw;
        }
        assertEquals(
            Float.floatToRawIntBits((float) want), Float.floatToRawIntBits(got[b]), "band " + b);
      }
      for (int k = 0; k <= n / 2; k++) {
        assertEquals(
            Float.floatToRawIntBits(power[k]),
            Float.floatToRawIntBits(FftBank.Entry.power(x, k)),
            "bin " + k);
      }
    }
  }

  private static int indexOf(float[] a, float v) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - v) < 0.01) {
        return i;
      }
    }
    return -1;
  }
}
