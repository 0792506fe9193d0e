package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inter-sample peaks of the kind EBU Tech 3341's true-peak cases (15-23) are built from: sines at
 * fs/4 and other rates whose samples miss the crest. Tolerance is Tech 3341's +0.2 / -0.4 dB.
 */
class TruePeakTest {

  private static double measure(int rate, double hz, double phaseDeg, double peakDb) {
    TruePeak tp = new TruePeak(rate, 1);
    int n = rate; // one second
    float[] x = new float[n];
    double a = Math.pow(10, peakDb / 20);
    for (int i = 0; i < n; i++) {
      x[i] = (float) (a * Math.sin(2 * Math.PI * hz * i / rate + Math.toRadians(phaseDeg)));
    }
    tp.peak(x, 0, 1, n / 2, 0); // settle the filter
    return 20 * Math.log10(tp.peak(x, n / 2, 1, n / 2, 0));
  }

  @ParameterizedTest
  @CsvSource({
    "48000, 12000, 0",
    "48000, 12000, 45",
    "48000, 12000, 60",
    "48000, 12000, 67.5",
    "44100, 11025, 45",
    "96000, 24000, 45",
    "48000, 1000, 17",
    "48000, 16000, 33",
    "192000, 997, 5"
  })
  void sinesReadTheirContinuousPeak(int rate, double hz, double phase) {
    double db = measure(rate, hz, phase, -6);
    assertTrue(
        db <= -6 + 0.2 && db >= -6 - 0.4, rate + " Hz, " + hz + " Hz, " + phase + "°: " + db);
  }

  @ParameterizedTest
  @CsvSource({"48000", "44100", "96000"})
  void fs4SineAt45DegreesHidesThreeDecibelsFromSamplePeak(int rate) {
    // Samples of a fs/4 sine at 45° sit at 0.707 of its crest: sample peak -9.01 dBFS, true peak
    // -6.
    assertEquals(-6, measure(rate, rate / 4.0, 45, -6), 0.2);
  }

  @ParameterizedTest
  @CsvSource({"48000", "96000", "192000"})
  void skippingBlocksThatCannotRaiseTheMaxGivesTheSameMax(int rate) {
    java.util.Random rnd = new java.util.Random(5);
    float[] x = new float[rate];
    for (int i = 0; i < x.length; i++) {
      // Bursts of loud noise between long quiet stretches, so that many blocks are skipped.
      double env = (i / 4800) % 7 == 3 ? 0.9 : 0.05;
      x[i] = (float) (env * (rnd.nextDouble() * 2 - 1));
    }
    TruePeak every = new TruePeak(rate, 1);
    TruePeak skipping = new TruePeak(rate, 1);
    float maxEvery = 0;
    float maxSkipping = 0;
    for (int at = 0; at + 480 <= x.length; at += 480) {
      maxEvery = Math.max(maxEvery, every.peak(x, at, 1, 480, 0));
      maxSkipping = Math.max(maxSkipping, skipping.peakAbove(x, at, 1, 480, 0, maxSkipping));
      assertEquals(maxEvery, maxSkipping, 1e-6);
    }
    assertTrue(maxEvery > 0.85);
  }

  /** Signals the bound must hold for: smooth, noisy, full-scale patterns, impulses, silence. */
  private static float[] signal(String kind, int rate, int n, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      x[i] =
          (float)
              switch (kind) {
                case "sine220" -> 0.8 * Math.sin(2 * Math.PI * 220 * t + 0.3);
                case "sine55" -> Math.sin(2 * Math.PI * 55 * t);
                case "fs4" -> Math.sin(Math.PI / 2 * i + Math.PI / 4);
                case "nyquist" -> (i % 2 == 0 ? 1 : -1);
                case "square" -> ((i / 3) % 2 == 0 ? 1 : -1);
                case "impulses" -> (i % 97 == 0 ? 1 : 0);
                case "noise" -> rnd.nextDouble() * 2 - 1;
                case "bursts" -> ((i / 1000) % 5 == 2 ? 0.9 : 0.02) * (rnd.nextDouble() * 2 - 1);
                case "chirp" -> 0.7 * Math.sin(2 * Math.PI * (20 + 10_000 * t) * t);
                case "silence" -> 0;
                default -> throw new IllegalArgumentException(kind);
              };
    }
    return x;
  }

  private static final String[] KINDS = {
    "sine220",
    "sine55",
    "fs4",
    "nyquist",
    "square",
    "impulses",
    "noise",
    "bursts",
    "chirp",
    "silence"
  };

  @ParameterizedTest
  @CsvSource({"44100", "48000", "96000"})
  void boundIsNeverBelowTheFilter(int rate) {
    for (String kind : KINDS) {
      float[] x = signal(kind, rate, 4096, 11);
      TruePeak tp = new TruePeak(rate, 1);
      float[] out = new float[x.length];
      tp.peaks(x, 0, 1, x.length, 0, out);
      // The filter's outputs at line index j = 23 + i (23 zeros of history, then the block).
      int h = TruePeak.TAPS_PER_PHASE - 1;
      float[] line = new float[h + x.length];
      System.arraycopy(x, 0, line, h, x.length);
      float[] peaks = new float[line.length / TruePeakBound.GROUP + 1];
      float[] curves = new float[peaks.length];
      TruePeakBound bound = tp.bound();
      int groups = TruePeakBound.summarise(line, line.length, peaks, curves);
      for (int from = h; from < line.length; from += 5) {
        for (int len : new int[] {1, 7, 16}) {
          int to = Math.min(line.length, from + len);
          float most = 0;
          for (int j = from; j < to; j++) {
            most = Math.max(most, out[j - h]);
          }
          float b = bound.over(peaks, curves, groups, from, to);
          assertTrue(b >= most, kind + " at " + from + ": bound " + b + " < output " + most);
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void boundIsTightForSmoothSignals() {
    // A 220 Hz sine at 44.1 kHz: second differences are 0.1 % of the amplitude, so near a crest
    // the bound is within 1 % of the peak, and far from it below.
    float[] x = signal("sine220", 44100, 4096, 1);
    TruePeak tp = new TruePeak(44100, 1);
    int h = TruePeak.TAPS_PER_PHASE - 1;
    float[] line = new float[h + x.length];
    System.arraycopy(x, 0, line, h, x.length);
    float[] peaks = new float[line.length / TruePeakBound.GROUP + 1];
    float[] curves = new float[peaks.length];
    int groups = TruePeakBound.summarise(line, line.length, peaks, curves);
    float b = tp.bound().over(peaks, curves, groups, h + 100, h + 4000);
    assertTrue(b <= 0.8f * 1.01f, "bound " + b);
  }

  @ParameterizedTest
  @CsvSource({"44100", "48000", "96000", "192000"})
  void peakAboveKeepsTheExactHeldAndMaxValues(int rate) {
    // A meter's use: a held value falling block by block and a running max, both judged through
    // max(floor, result); they must equal what filtering every sample gives, bit for bit.
    java.util.Random rnd = new java.util.Random(rate);
    for (String kind : KINDS) {
      float[] x = signal(kind, rate, rate / 2, 3);
      TruePeak every = new TruePeak(rate, 1);
      TruePeak skipping = new TruePeak(rate, 1);
      double heldEvery = 0;
      double heldSkipping = 0;
      double maxEvery = 0;
      double maxSkipping = 0;
      for (int at = 0; at < x.length; ) {
        int n = Math.min(x.length - at, 1 + rnd.nextInt(2000));
        double fall = 0.97;
        double floorEvery = heldEvery * fall;
        double floorSkipping = heldSkipping * fall;
        heldEvery = Math.max(floorEvery, every.peak(x, at, 1, n, 0));
        heldSkipping = Math.max(floorSkipping, skipping.peakAbove(x, at, 1, n, 0, floorSkipping));
        maxEvery = Math.max(maxEvery, heldEvery);
        maxSkipping = Math.max(maxSkipping, heldSkipping);
        assertEquals(heldEvery, heldSkipping, 0, kind + " at " + at);
        at += n;
      }
      assertEquals(maxEvery, maxSkipping, 0, kind);
    }
  }

  @org.junit.jupiter.api.Test
  void steadyToneFiltersOnlyNearItsCrests() {
    float[] x = signal("sine220", 44100, 44100, 1);
    TruePeak tp = new TruePeak(44100, 1);
    double held = 0;
    for (int at = 0; at + 882 <= x.length; at += 882) {
      double floor = held * 0.973; // 20 ms of a 20 dB / 1.7 s return
      held = Math.max(floor, tp.peakAbove(x, at, 1, 882, 0, floor));
    }
    assertEquals(-1.94, 20 * Math.log10(held), 0.05); // 0.8 of full scale
    double share = tp.filteredSamples() / (double) (tp.filteredSamples() + tp.skippedSamples());
    assertTrue(share < 0.3, "filtered " + share);
  }

  /** {@link TruePeakBound#summarise} as it was written before: whole-array passes. */
  private static int summariseReference(float[] line, int end, float[] peaks, float[] curves) {
    int g8 = TruePeakBound.GROUP;
    int groups = (end + g8 - 1) / g8;
    float[] scratch = new float[groups * g8];
    for (int i = 0; i < end; i++) {
      scratch[i] = Math.abs(line[i]);
    }
    for (int g = 0; g < groups; g++) {
      float m = 0;
      for (int k = 0; k < g8; k++) {
        m = Math.max(m, scratch[g * g8 + k]);
      }
      peaks[g] = m;
    }
    java.util.Arrays.fill(scratch, 0f);
    for (int i = 2; i < end; i++) {
      scratch[i] = Math.abs(line[i] - 2 * line[i - 1] + line[i - 2]);
    }
    for (int g = 0; g < groups; g++) {
      float m = 0;
      for (int k = 0; k < g8; k++) {
        m = Math.max(m, scratch[g * g8 + k]);
      }
      curves[g] = m;
    }
    return groups;
  }

  @org.junit.jupiter.api.Test
  void summaryIsTheReferencesBitForBitAndTheBlocksPeakAndSquaresArePlainLoops() {
    for (String kind : KINDS) {
      for (int len : new int[] {1, 7, 8, 23, 905, 4096}) {
        float[] x = signal(kind, 44100, len, 5);
        float[] p1 = new float[len / 8 + 2];
        float[] c1 = new float[p1.length];
        float[] p2 = new float[p1.length];
        float[] c2 = new float[p1.length];
        int g1 = TruePeakBound.summarise(x, len, p1, c1);
        int g2 = summariseReference(x, len, p2, c2);
        assertEquals(g2, g1);
        for (int g = 0; g < g1; g++) {
          assertEquals(Float.floatToRawIntBits(p2[g]), Float.floatToRawIntBits(p1[g]), kind);
          assertEquals(Float.floatToRawIntBits(c2[g]), Float.floatToRawIntBits(c1[g]), kind);
        }
        // Stereo, channel 1: what a meter's own loop over the block would give.
        float[] st = new float[2 * len];
        for (int i = 0; i < len; i++) {
          st[2 * i + 1] = x[i];
          st[2 * i] = -x[i] / 2;
        }
        TruePeak tp = new TruePeak(44100, 2);
        tp.peakAbove(st, 1, 2, len, 1, 0.5);
        float peak = 0;
        double sq = 0;
        for (int i = 0; i < len; i++) {
          float v = st[2 * i + 1];
          peak = Math.max(peak, Math.abs(v));
          sq += v * v;
        }
        assertEquals(Float.floatToRawIntBits(peak), Float.floatToRawIntBits(tp.blockPeak()));
        assertEquals(Double.doubleToRawLongBits(sq), Double.doubleToRawLongBits(tp.blockSquares()));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void peakAboveSummarisesWhatItLoadsAsSummariseDoesOverTheHistoryAndTheBlock() {
    // peakAbove takes the group peaks while it loads a channel and each group's second difference
    // only where the bound needs it; the line (the channel's last 23 samples, then the block), the
    // group peaks and second differences, the block's sample peak and sum of squares must be those
    // of the separate loops, bit for bit, at every block size (groups straddle the history's end,
    // blocks shorter than a group) and on channel 1 of 2.
    int history = TruePeak.TAPS_PER_PHASE - 1;
    java.util.Random rnd = new java.util.Random(11);
    for (String kind : KINDS) {
      float[] x = signal(kind, 44100, 20_000, 7);
      float[] st = new float[2 * x.length];
      for (int i = 0; i < x.length; i++) {
        st[2 * i] = -x[i] / 3;
        st[2 * i + 1] = x[i];
      }
      TruePeak tp = new TruePeak(44100, 2);
      int[] sizes = {1, 7, 8, 9, 16, 23, 24, 25, 905};
      int k = 0;
      for (int at = 0; at < x.length; ) {
        int n = Math.min(x.length - at, k < sizes.length ? sizes[k++] : 1 + rnd.nextInt(2000));
        tp.peakAbove(st, 2 * at, 2, n, 0, 0.5); // channel 0 between, as a meter does
        tp.peakAbove(st, 2 * at + 1, 2, n, 1, 0.5);
        float[] want = new float[history + n];
        for (int i = 0; i < want.length; i++) {
          int t = at - history + i;
          want[i] = t < 0 ? 0 : x[t];
        }
        float[] p1 = new float[want.length / 8 + 2];
        float[] c1 = new float[p1.length];
        float[] p2 = new float[p1.length];
        float[] c2 = new float[p1.length];
        float[] line = new float[want.length];
        int g1 = TruePeakBound.summarise(want, want.length, p1, c1);
        int g2 = tp.lastSummary(line, p2, c2);
        assertEquals(g1, g2, kind + " at " + at);
        for (int i = 0; i < want.length; i++) {
          assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(line[i]), kind);
        }
        for (int g = 0; g < g1; g++) {
          assertEquals(Float.floatToRawIntBits(p1[g]), Float.floatToRawIntBits(p2[g]), kind);
          assertEquals(Float.floatToRawIntBits(c1[g]), Float.floatToRawIntBits(c2[g]), kind);
        }
        float peak = 0;
        double sq = 0;
        for (int i = at; i < at + n; i++) {
          peak = Math.max(peak, Math.abs(x[i]));
          sq += x[i] * x[i];
        }
        assertEquals(Float.floatToRawIntBits(peak), Float.floatToRawIntBits(tp.blockPeak()));
        assertEquals(Double.doubleToRawLongBits(sq), Double.doubleToRawLongBits(tp.blockSquares()));
        at += n;
      }
    }
  }

  @org.junit.jupiter.api.Test
  void magnitudesOrderAsAbsoluteValuesAndTurnBackIntoThem() {
    // The loading loops keep maxima of magnitude() as integers: for every value that is not NaN,
    // the integers must compare as the absolute values do and turn back into Math.abs's value.
    float[] edge = {
      0f,
      -0f,
      1f,
      -1f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      -Float.MIN_NORMAL,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      4f,
      -4f
    };
    java.util.Random rnd = new java.util.Random(3);
    float[] values = new float[200_000];
    for (int k = 0; k < values.length; k++) {
      float v = k < edge.length ? edge[k] : Float.intBitsToFloat(rnd.nextInt());
      values[k] = v == v ? v : (float) rnd.nextGaussian();
    }
    for (int k = 0; k < values.length; k++) {
      float a = values[k];
      float b = values[(k * 7919 + 13) % values.length];
      assertEquals(
          Float.floatToRawIntBits(Math.abs(a)),
          Float.floatToRawIntBits(Float.intBitsToFloat(TruePeak.magnitude(a))));
      assertEquals(
          Float.compare(Math.abs(a), Math.abs(b)) > 0,
          TruePeak.magnitude(a) > TruePeak.magnitude(b));
    }
  }

  @org.junit.jupiter.api.Test
  void peakAboveFiltersExactlyTheChunksTheBoundCannotRuleOut() {
    // The screen's decisions, not only its results: a reference written from the bound's
    // definition (the whole line summarised, every 16-output chunk judged by gainOver then over
    // against the bar so far, the loudest group's neighbourhood first) must filter the same
    // samples, for a running maximum (an analysis) and a falling hold (a meter). A screen that
    // skipped a chunk the bound keeps, or filtered one it rules out, fails here even where the
    // maximum happens not to change.
    int history = TruePeak.TAPS_PER_PHASE - 1;
    java.util.Random rnd = new java.util.Random(5);
    for (String kind : KINDS) {
      float[] x = signal(kind, 44100, 40_000, 13);
      for (boolean falling : new boolean[] {false, true}) {
        TruePeak tp = new TruePeak(44100, 1, false);
        TruePeak all = new TruePeak(44100, 1);
        TruePeakBound bound = tp.bound();
        float[] prev = new float[history];
        double floor = 0;
        long work = 0;
        for (int at = 0; at < x.length; ) {
          int n = Math.min(x.length - at, 1 + rnd.nextInt(3000));
          float got = tp.peakAbove(x, at, 1, n, 0, floor);
          assertEquals(0.0, tp.blockSquares()); // made without block squares
          float[] f = new float[n]; // f[i]: the filter's output at the block's sample i
          all.peaks(x, at, 1, n, 0, f);
          int end = history + n;
          float[] line = new float[end];
          System.arraycopy(prev, 0, line, 0, history);
          System.arraycopy(x, at, line, history, n);
          float[] p = new float[end / 8 + 2];
          float[] c = new float[p.length];
          int groups = TruePeakBound.summarise(line, end, p, c);
          float window = 0;
          int loudest = 0;
          for (int g = 0; g < groups; g++) {
            if (p[g] > window) {
              window = p[g];
              loudest = g;
            }
          }
          float found = 0;
          if (bound.gainBound(window) > floor) {
            int from = Math.max(history, loudest * 8 + bound.nearMin);
            int to = Math.min(end, Math.min(end, loudest * 8 + 8) - 1 + bound.nearMax + 1);
            for (int j = from; j < to; j++) {
              found = Math.max(found, f[j - history]);
            }
            work += to - from;
            double bar = Math.max(floor, found);
            for (int s = history; s < end; s = Math.min(end, (s / 16 + 1) * 16)) {
              int e = Math.min(end, (s / 16 + 1) * 16);
              if (bound.gainOver(p, groups, s, e) > bar && bound.over(p, c, groups, s, e) > bar) {
                for (int j = s; j < e; j++) {
                  found = Math.max(found, f[j - history]);
                }
                bar = Math.max(bar, found);
                work += e - s;
              }
            }
          }
          assertEquals(Float.floatToRawIntBits(found), Float.floatToRawIntBits(got), kind);
          assertEquals(work, tp.filteredSamples(), kind + " at " + at);
          System.arraycopy(line, end - history, prev, 0, history);
          floor = falling ? Math.max(got, floor * 0.9) : Math.max(floor, got);
          at += n;
        }
      }
    }
  }
}
