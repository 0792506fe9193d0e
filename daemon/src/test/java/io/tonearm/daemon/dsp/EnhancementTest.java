package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnhancementTest {

  private static float[] music(int frames) {
    float[] x = new float[2 * frames];
    for (int i = 0; i < frames; i++) {
      x[2 * i] = (float) (0.6 * Math.sin(i * 0.031) + 0.3 * Math.sin(i * 0.47));
      x[2 * i + 1] = (float) (0.5 * Math.sin(i * 0.027 + 1) - 0.35 * Math.sin(i * 0.39));
    }
    return x;
  }

  private static float[] delayed(float[] x, int frames) {
    float[] d = new float[x.length];
    System.arraycopy(x, 0, d, 2 * frames, x.length - 2 * frames);
    return d;
  }

  static final EnhancementSettings LOUD =
      new EnhancementSettings(
          true,
          3,
          List.of(
              new EqBand(FilterType.LOW_SHELF, 100, 4, 0.707),
              new EqBand(FilterType.PEAKING, 3000, 2, 1)),
          new CompressorSettings(false, -18, 3, 6, 5, 100, 4),
          1.3,
          true,
          -1,
          50,
          0);

  @Test
  void offIsTheInputBitForBitWithoutDelay() {
    Enhancement e = new Enhancement();
    e.prepare(44_100, 2);
    float[] x = music(20_000);
    float[] y = x.clone();
    for (int at = 0; at < 20_000; at += 777) {
      e.process(y, 2 * at, Math.min(777, 20_000 - at));
    }
    assertArrayEquals(x, y);
    assertEquals(0, e.latencyFrames());
  }

  @Test
  void onTheLatencyIsTheLimitersLookAheadAndOffItIsGoneAgain() {
    Enhancement e = new Enhancement();
    e.prepare(44_100, 2);
    e.apply(LOUD);
    float[] x = music(44_100);
    e.process(x, 0, 1000);
    assertEquals(Math.round(0.002 * 44_100) + 23, e.latencyFrames());
    e.apply(LOUD.withEnabled(false));
    e.process(x, 2000, 43_100);
    assertEquals(0, e.latencyFrames());
  }

  @Test
  void switchingOnAndOffNeverStepsTheWaveform() {
    int rate = 48_000;
    Enhancement e = new Enhancement();
    e.prepare(rate, 2);
    EnhancementSettings plain =
        new EnhancementSettings(true, 0, List.of(), CompressorSettings.NEUTRAL, 1, true, -1, 50, 0);
    float[] x = new float[2 * rate];
    for (int i = 0; i < rate; i++) {
      x[2 * i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate));
      x[2 * i + 1] = x[2 * i];
    }
    e.process(x, 0, 10_000);
    e.apply(plain); // on: the output moves 111 frames late
    e.process(x, 2 * 10_000, 20_000);
    e.apply(plain.withEnabled(false));
    e.process(x, 2 * 30_000, rate - 30_000);
    // A 1 kHz sine of amplitude 0.5 moves at most 0.065 per sample; jumping between two phases of
    // it at once would step by up to 1.
    double largest = 0;
    for (int i = 1; i < rate; i++) {
      largest = Math.max(largest, Math.abs(x[2 * i] - x[2 * i - 2]));
    }
    assertTrue(largest < 0.07, "largest step " + largest);
  }

  @Test
  void offTheDelayLineKeepsTheSameInputWhateverTheBlockSize() {
    int rate = 44_100;
    EnhancementSettings on =
        new EnhancementSettings(true, 0, List.of(), CompressorSettings.NEUTRAL, 1, true, -1, 50, 0);
    float[] big = new float[2 * 20_000];
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) (r.nextGaussian() * 0.2);
    }
    float[] small = big.clone();
    Enhancement inBig = new Enhancement();
    inBig.prepare(rate, 2);
    Enhancement inSmall = new Enhancement();
    inSmall.prepare(rate, 2);
    inBig.process(big, 0, 10_000); // chunks far longer than the line
    for (int f = 0; f < 10_000; f += 50) {
      inSmall.process(small, 2 * f, 50); // shorter than the line: every sample goes through it
    }
    inBig.apply(on);
    inSmall.apply(on);
    inBig.process(big, 2 * 10_000, 10_000);
    inSmall.process(small, 2 * 10_000, 10_000);
    assertArrayEquals(small, big, "switching on reads the same delayed input");
  }

  @Test
  void switchedOffAfterProcessingReturnsToBitExact() {
    Enhancement e = new Enhancement();
    e.prepare(48_000, 2);
    e.apply(LOUD);
    float[] x = music(48_000);
    float[] y = x.clone();
    e.process(y, 0, 24_000);
    e.apply(LOUD.withEnabled(false));
    e.process(y, 2 * 24_000, 24_000);
    int from = 2 * (24_000 + 2000); // after the crossfades (10 ms, to a chunk's end, then 5 ms)
    assertArrayEquals(
        java.util.Arrays.copyOfRange(x, from, x.length),
        java.util.Arrays.copyOfRange(y, from, y.length));
  }

  @Test
  void processingChangesTheSignalAndHoldsTheCeiling() {
    Enhancement e = new Enhancement();
    e.prepare(48_000, 2);
    e.apply(LOUD);
    float[] x = music(48_000);
    float[] y = x.clone();
    e.process(y, 0, 48_000);
    double peak = 0;
    boolean differs = false;
    float[] d = delayed(x, e.latencyFrames());
    for (int i = 2 * 3000; i < y.length; i++) { // after the 5 ms shift, look-ahead and fade-in
      peak = Math.max(peak, Math.abs(y[i]));
      differs |= y[i] != d[i];
    }
    assertTrue(differs);
    assertTrue(20 * Math.log10(peak) <= -1, "sample peak " + 20 * Math.log10(peak));
  }

  /** Pink noise (Paul Kellet's economy filter on white noise), stereo, about -20 dBFS RMS. */
  static float[] pink(int frames, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    float[] x = new float[2 * frames];
    for (int c = 0; c < 2; c++) {
      double b0 = 0;
      double b1 = 0;
      double b2 = 0;
      for (int i = 0; i < frames; i++) {
        double w = rnd.nextGaussian();
        b0 = 0.99765 * b0 + w * 0.0990460;
        b1 = 0.96300 * b1 + w * 0.2965164;
        b2 = 0.57000 * b2 + w * 1.0526913;
        x[2 * i + c] = (float) (0.05 * (b0 + b1 + b2 + w * 0.1848));
      }
    }
    return x;
  }

  /** Short-term loudness (EBU R128, the meters' own) of the last 3 s of {@code y}. */
  private static double lastShortTerm(float[] y, int rate) {
    io.tonearm.daemon.analysis.LoudnessMeter m =
        new io.tonearm.daemon.analysis.LoudnessMeter(rate, 2);
    int frames = y.length / 2;
    m.accept(y, 2 * (frames - 3 * rate), 3 * rate);
    return m.shortTerm();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"pink", "music"})
  void comparisonPlaysTheBypassedSignalAtTheProcessedLoudness(String signal) {
    int rate = 48_000;
    int seconds = 8;
    Enhancement e = new Enhancement();
    e.prepare(rate, 2);
    e.apply(LOUD);
    float[] a = signal.equals("pink") ? pink(seconds * rate, 3) : music(seconds * rate);
    float[] b = signal.equals("pink") ? pink(seconds * rate, 4) : music(seconds * rate);
    double inputLufs = lastShortTerm(a.clone(), rate);
    for (int at = 0; at < seconds * rate; at += 960) {
      e.process(a, 2 * at, 960);
    }
    double processed = lastShortTerm(a, rate);
    assertTrue(
        Math.abs(processed - inputLufs) > 1,
        "the chain changes the loudness: " + inputLufs + " -> " + processed);
    e.compare(true);
    for (int at = 0; at < seconds * rate; at += 960) {
      e.process(b, 2 * at, 960);
    }
    double bypassed = lastShortTerm(b, rate);
    assertEquals(processed, bypassed, 0.5, "A " + processed + " LUFS, B " + bypassed + " LUFS");
  }

  @Test
  void leavingTheComparisonAndSwitchingOffIsBitExactAgain() {
    Enhancement e = new Enhancement();
    e.prepare(48_000, 2);
    e.apply(LOUD);
    e.compare(true);
    float[] x = music(96_000);
    float[] y = x.clone();
    e.process(y, 0, 48_000);
    e.compare(false);
    e.apply(LOUD.withEnabled(false));
    e.process(y, 2 * 48_000, 48_000);
    int from = 2 * (48_000 + 4800); // after the fades and the gain's return to 1
    assertArrayEquals(
        java.util.Arrays.copyOfRange(x, from, x.length),
        java.util.Arrays.copyOfRange(y, from, y.length));
  }
}
