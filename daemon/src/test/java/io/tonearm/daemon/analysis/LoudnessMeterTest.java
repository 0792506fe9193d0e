package io.tonearm.daemon.analysis;

import static io.tonearm.daemon.analysis.Signals.all;
import static io.tonearm.daemon.analysis.Signals.sine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EBU Tech 3341 (v4, 2023) cases 1-5, 9 and 12 and EBU Tech 3342 (v4, 2023) cases 1-4, as
 * synthesised stereo tones: 1 kHz sines whose peak level in dBFS is the level the documents give.
 * Tolerance is the documents' ±0.1 LU (3341) and ±1 LU (3342). Multichannel weights are checked
 * against BS.1770-4 table 4 directly.
 */
class LoudnessMeterTest {

  private static long play(LoudnessMeter m, int rate, double[] amps, double seconds, long at) {
    return sine(rate, 1000, amps, seconds, 0, at, (b, n) -> m.accept(b, 0, n));
  }

  private static double[] levels(int channels, double db) {
    return all(channels, db);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void tech3341Case1And2SteadyTonesReadTheirLevel(int rate) {
    for (double level : new double[] {-23, -33}) {
      LoudnessMeter m = new LoudnessMeter(rate, 2);
      play(m, rate, levels(2, level), 20, 0);
      assertEquals(level, m.momentary(), 0.1);
      assertEquals(level, m.shortTerm(), 0.1);
      assertEquals(level, m.integrated(), 0.1);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void tech3341Case3And4RelativeAndAbsoluteGates(int rate) {
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    long t = play(m, rate, levels(2, -36), 10, 0);
    t = play(m, rate, levels(2, -23), 60, t);
    play(m, rate, levels(2, -36), 10, t);
    assertEquals(-23, m.integrated(), 0.1);

    m = new LoudnessMeter(rate, 2);
    t = play(m, rate, levels(2, -72), 10, 0);
    t = play(m, rate, levels(2, -36), 10, t);
    t = play(m, rate, levels(2, -23), 60, t);
    t = play(m, rate, levels(2, -36), 10, t);
    play(m, rate, levels(2, -72), 10, t);
    assertEquals(-23, m.integrated(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void tech3341Case5SteppedLevels(int rate) {
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    long t = play(m, rate, levels(2, -26), 20, 0);
    t = play(m, rate, levels(2, -20), 20.1, t);
    play(m, rate, levels(2, -26), 20, t);
    assertEquals(-23, m.integrated(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void fivePointZeroWeighsSurroundsAt1_41(int rate) {
    // BS.1770-4 table 4: the same tone reads 10 log10(1.41) = 1.49 LU louder on a surround than on
    // a
    // front channel; fronts and surrounds add as energies.
    double a = Signals.amp(-20);
    LoudnessMeter front = new LoudnessMeter(rate, 5);
    play(front, rate, new double[] {a, 0, 0, 0, 0}, 10, 0);
    LoudnessMeter surround = new LoudnessMeter(rate, 5);
    play(surround, rate, new double[] {0, 0, 0, 0, a}, 10, 0);
    assertEquals(-23.01, front.integrated(), 0.1);
    assertEquals(10 * Math.log10(1.41), surround.integrated() - front.integrated(), 0.01);
    // All five at one level: (3 + 2 * 1.41) times one front channel's energy.
    LoudnessMeter five = new LoudnessMeter(rate, 5);
    double level = -23 - 10 * Math.log10(5.82 / 2);
    play(five, rate, Signals.all(5, level), 20, 0);
    assertEquals(-23, five.integrated(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void fivePointOneIgnoresTheLfe(int rate) {
    LoudnessMeter m = new LoudnessMeter(rate, 6);
    double level = -23 - 10 * Math.log10(5.82 / 2);
    double[] amps = Signals.all(6, level);
    amps[3] = 1.0; // a full-scale LFE changes nothing
    play(m, rate, amps, 20, 0);
    assertEquals(-23, m.integrated(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void tech3342Cases1To4(int rate) {
    double[][] cases = {{-20, -30}, {-20, -15}, {-40, -20}};
    double[] expected = {10, 5, 20};
    for (int i = 0; i < cases.length; i++) {
      LoudnessMeter m = new LoudnessMeter(rate, 2);
      long t = play(m, rate, levels(2, cases[i][0]), 20, 0);
      play(m, rate, levels(2, cases[i][1]), 20, t);
      assertEquals(expected[i], m.loudnessRange(), 1, "case " + (i + 1));
    }
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    long t = 0;
    for (double level : new double[] {-50, -35, -20, -35, -50}) {
      t = play(m, rate, levels(2, level), 20, t);
    }
    assertEquals(15, m.loudnessRange(), 1, "case 4");
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000})
  void resetForgetsThePast(int rate) {
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    play(m, rate, levels(2, -10), 10, 0);
    m.reset();
    play(m, rate, levels(2, -30), 5, 0);
    assertEquals(-30, m.integrated(), 0.1);
    assertEquals(-30, m.maxMomentary(), 0.1);
  }

  @ParameterizedTest
  @ValueSource(ints = {48_000})
  void silenceIsGatedAway(int rate) {
    LoudnessMeter m = new LoudnessMeter(rate, 2);
    m.accept(new float[rate * 2 * 5], 0, rate * 5);
    assertTrue(Double.isInfinite(m.integrated()));
    assertEquals(0, m.loudnessRange());
  }

  /**
   * Tech 3341 cases 9 (short-term) and 12 (momentary): a 1 kHz tone alternating between -20 dBFS
   * and -30 dBFS with a period equal to the window (1.34 s + 1.66 s; 0.18 s + 0.22 s), so that
   * every window holds the same energy and the meter reads -23.0 LUFS at every update once filled.
   */
  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 96_000})
  void tech3341Cases9And12AlternatingTonesReadConstantLoudness(int rate) {
    double[][] cases = {{1.34, 1.66}, {0.18, 0.22}};
    for (int c = 0; c < 2; c++) {
      boolean shortTerm = c == 0;
      LoudnessMeter m = new LoudnessMeter(rate, 2);
      long loud = Math.round(cases[c][0] * rate);
      long period = loud + Math.round(cases[c][1] * rate);
      double hi = Signals.amp(-20);
      double lo = Signals.amp(-30);
      int hop = rate / 10;
      float[] buf = new float[hop * 2];
      long f = 0;
      int checked = 0;
      for (int h = 0; h < 150; h++) {
        for (int i = 0; i < hop; i++, f++) {
          double a = f % period < loud ? hi : lo;
          float v = (float) (a * Math.sin(2 * Math.PI * 1000 * f / rate));
          buf[2 * i] = v;
          buf[2 * i + 1] = v;
        }
        m.accept(buf, 0, hop);
        if (f > 3.2 * rate) {
          assertEquals(-23, shortTerm ? m.shortTerm() : m.momentary(), 0.1, "at frame " + f);
          checked++;
        }
      }
      assertTrue(checked > 100);
    }
  }
}
