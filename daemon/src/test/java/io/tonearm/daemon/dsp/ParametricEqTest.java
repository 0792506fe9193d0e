package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.SineFit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each band's measured response (a sine through the stage, fitted) against the RBJ cookbook's
 * analog prototype H(s) at the bilinear transform's warped frequency, s = j tan(w/2) / tan(w0/2):
 * an independent formula for the same digital filter.
 */
class ParametricEqTest {

  /** |H(j W)| of the cookbook's analog prototypes, dB. */
  static double prototypeDb(FilterType type, double gainDb, double q, double w) {
    double a = Math.pow(10, gainDb / 40);
    double sa = Math.sqrt(a);
    // numerator and denominator as n2 s^2 + n1 s + n0 at s = jW: real n0 - n2 W^2, imaginary n1 W
    double[] num;
    double[] den;
    switch (type) {
      case LOW_PASS -> {
        num = new double[] {1, 0, 0};
        den = new double[] {1, 1 / q, 1};
      }
      case HIGH_PASS -> {
        num = new double[] {0, 0, 1};
        den = new double[] {1, 1 / q, 1};
      }
      case PEAKING -> {
        num = new double[] {1, a / q, 1};
        den = new double[] {1, 1 / (a * q), 1};
      }
      case LOW_SHELF -> {
        num = new double[] {a * a, a * sa / q, a};
        den = new double[] {1, sa / q, a};
      }
      default -> { // HIGH_SHELF
        num = new double[] {a, a * sa / q, a * a};
        den = new double[] {a, sa / q, 1};
      }
    }
    double nr = num[0] - num[2] * w * w;
    double ni = num[1] * w;
    double dr = den[0] - den[2] * w * w;
    double di = den[1] * w;
    return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
  }

  private static double measuredDb(ParametricEq eq, int rate, double hz) {
    int settle = rate / 2; // lets the bands glide in from neutral and the filter settle
    int n = rate / 2;
    float[] x = new float[settle + n];
    double amp = 0.25;
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
    }
    eq.reset();
    eq.process(x, 0, x.length);
    SineFit fit = new SineFit(x, 1, 0, settle, n, hz, rate);
    return 20 * Math.log10(fit.amplitude / amp);
  }

  @ParameterizedTest
  @CsvSource({
    "PEAKING, 44100, 1000, 6, 1.4",
    "PEAKING, 48000, 250, -9, 0.7",
    "PEAKING, 96000, 8000, 12, 4",
    "LOW_SHELF, 44100, 120, 6, 0.707",
    "LOW_SHELF, 96000, 300, -6, 1",
    "HIGH_SHELF, 48000, 6000, 4, 0.707",
    "HIGH_SHELF, 96000, 10000, -8, 0.9",
    "LOW_PASS, 44100, 5000, 0, 0.707",
    "LOW_PASS, 96000, 12000, 0, 2",
    "HIGH_PASS, 48000, 80, 0, 0.707",
    "HIGH_PASS, 44100, 200, 0, 1.2"
  })
  void responseAtTwentyFrequenciesMatchesTheCookbookWithinOneHundredthDb(
      FilterType type, int rate, double f0, double gainDb, double q) {
    ParametricEq eq = new ParametricEq();
    eq.prepare(rate, 1);
    eq.setBands(List.of(new EqBand(type, f0, gainDb, q)));
    double w0 = 2 * Math.PI * f0 / rate;
    for (int k = 0; k < 20; k++) {
      double hz = 40 * Math.pow(18_000 / 40.0, k / 19.0); // 40 Hz .. 18 kHz, log spaced
      double w = Math.tan(Math.PI * hz / rate) / Math.tan(w0 / 2);
      double expected = prototypeDb(type, gainDb, q, w);
      double got = measuredDb(eq, rate, hz);
      assertEquals(expected, got, 0.01, type + " at " + hz + " Hz, " + rate + " Hz");
    }
  }

  @Test
  void noBandsLeavesSamplesUntouched() {
    ParametricEq eq = new ParametricEq();
    eq.prepare(44_100, 2);
    float[] x = new float[2000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.37) * 0.9f;
    }
    float[] y = x.clone();
    eq.process(y, 0, 1000);
    assertArrayEquals(x, y);
  }

  @Test
  void aGainChangeGlidesWithoutAStep() {
    int rate = 48_000;
    ParametricEq eq = new ParametricEq();
    eq.prepare(rate, 1);
    eq.setBands(List.of(new EqBand(FilterType.PEAKING, 1000, 0, 1)));
    float[] warm = new float[rate];
    for (int i = 0; i < warm.length; i++) {
      warm[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    eq.process(warm, 0, warm.length);
    eq.setBands(List.of(new EqBand(FilterType.PEAKING, 1000, 12, 1)));
    float[] x = new float[rate / 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * (i + rate) / rate));
    }
    eq.process(x, 0, x.length);
    // Switched at once, the band would reach +12 dB (amplitude 2) within a fraction of a
    // millisecond; gliding with a 20 ms time constant it is still near 0.5 after 2 ms and at 2 by
    // the end.
    assertTrue(peak(x, 0, rate / 500) < 0.6, "first 2 ms " + peak(x, 0, rate / 500));
    assertEquals(2.0, peak(x, x.length - rate / 100, x.length), 0.01);
  }

  private static double peak(float[] x, int from, int to) {
    double p = 0;
    for (int i = from; i < to; i++) {
      p = Math.max(p, Math.abs(x[i]));
    }
    return p;
  }
}
