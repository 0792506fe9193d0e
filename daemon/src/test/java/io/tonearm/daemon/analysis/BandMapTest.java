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

  private static int indexOf(float[] a, float v) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - v) < 0.01) {
        return i;
      }
    }
    return -1;
  }
}
