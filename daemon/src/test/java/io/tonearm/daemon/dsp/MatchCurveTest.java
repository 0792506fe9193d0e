package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.analysis.LongTermSpectrum;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pink noise tilted one way (bass up, treble down) matched to pink noise tilted the other: at
 * intensity 1 the designed equaliser removes at least 80% of the 1/3-octave balance difference (RMS
 * over 50 Hz..16 kHz), at intensity 0.5 about half of it.
 */
class MatchCurveTest {

  private static final int RATE = 48_000;

  private static float[] tilted(double bassDb, double trebleDb, long seed) {
    float[] x = EnhancementTest.pink(21 * RATE, seed);
    ParametricEq eq = new ParametricEq();
    eq.prepare(RATE, 2);
    eq.setBands(
        List.of(
            new EqBand(FilterType.LOW_SHELF, 200, bassDb, 0.707),
            new EqBand(FilterType.HIGH_SHELF, 4000, trebleDb, 0.707)));
    eq.process(x, 0, x.length / 2);
    return java.util.Arrays.copyOfRange(x, 2 * RATE, x.length); // after the glide in
  }

  private static double[] ltas(float[] x) {
    LongTermSpectrum s = new LongTermSpectrum(RATE, 2);
    s.accept(x, 0, x.length / 2);
    return s.bandsDb();
  }

  private static double distance(double[] centres, double[] a, double[] b) {
    double[] ba = MatchCurve.balance(centres, a);
    double[] bb = MatchCurve.balance(centres, b);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < centres.length; i++) {
      if (centres[i] >= 50 && centres[i] <= 16_000) {
        sum += (ba[i] - bb[i]) * (ba[i] - bb[i]);
        n++;
      }
    }
    return Math.sqrt(sum / n);
  }

  private static double moved(double intensity) {
    double[] centres = LongTermSpectrum.centres(RATE);
    float[] source = tilted(6, -6, 1);
    double[] ref = ltas(tilted(-6, 6, 2));
    double[] src = ltas(source);
    double before = distance(centres, src, ref);
    double[] target = MatchCurve.target(centres, src, ref, intensity);
    ParametricEq eq = new ParametricEq();
    eq.prepare(RATE, 2);
    eq.setBands(MatchCurve.fit(centres, target, RATE));
    float[] y = source.clone();
    eq.process(y, 0, y.length / 2);
    double after =
        distance(centres, ltas(java.util.Arrays.copyOfRange(y, 2 * RATE, y.length)), ref);
    assertTrue(before > 5, "the two balances differ: " + before + " dB RMS");
    return 1 - after / before;
  }

  @Test
  void intensityOneMovesTheBalanceAtLeastEightyPercentTowardTheReference() {
    double m = moved(1);
    assertTrue(m >= 0.8, "moved " + m);
  }

  @Test
  void intensityHalfMovesItAboutHalfWay() {
    double m = moved(0.5);
    assertTrue(m > 0.35 && m < 0.65, "moved " + m);
  }
}
