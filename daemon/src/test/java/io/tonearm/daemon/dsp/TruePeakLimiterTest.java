package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The output's true peak, measured by the meters' own BS.1770 filter, never exceeds the ceiling: on
 * sines of EBU Tech 3341's true-peak kind (cases 15-23: samples that miss the crest, up to +3 dBTP
 * at 0 dBFS sample peak) and on a full-scale square wave.
 */
class TruePeakLimiterTest {

  private static double truePeakDb(float[] x, int channels, int rate) {
    TruePeak tp = new TruePeak(rate, channels);
    double max = 0;
    for (int c = 0; c < channels; c++) {
      max = Math.max(max, tp.peak(x, c, channels, x.length / channels, c));
    }
    return 20 * Math.log10(max);
  }

  private static float[] limit(float[] x, int channels, int rate, double ceiling, int block) {
    TruePeakLimiter l = new TruePeakLimiter();
    l.prepare(rate, channels);
    l.setCeiling(true, ceiling, 50);
    float[] y = x.clone();
    int frames = x.length / channels;
    for (int at = 0; at < frames; at += block) {
      l.process(y, at * channels, Math.min(block, frames - at));
    }
    return y;
  }

  @ParameterizedTest
  @CsvSource({
    "48000, 12000, 45, -1",
    "48000, 12000, 60, -1",
    "48000, 8000, 60, 0",
    "48000, 6000, 67.5, -1",
    "44100, 11025, 45, -0.1",
    "96000, 24000, 45, -1",
    "48000, 997, 17, -2",
    "48000, 19000, 33, -1"
  })
  void sinesWithInterSamplePeaksStayUnderTheCeiling(
      int rate, double hz, double phase, double ceiling) {
    int n = rate;
    float[] x = new float[2 * n];
    double peak = 0;
    for (int i = 0; i < n; i++) {
      double v = Math.sin(2 * Math.PI * hz * i / rate + Math.toRadians(phase));
      x[2 * i] = (float) v;
      x[2 * i + 1] = (float) (0.5 * v);
      peak = Math.max(peak, Math.abs(v));
    }
    for (int i = 0; i < 2 * n; i++) {
      x[i] /= (float) peak; // 0 dBFS sample peak; the true peak is above it
    }
    assertTrue(truePeakDb(x, 2, rate) > ceiling + 0.5, "the input goes over the ceiling");
    float[] y = limit(x, 2, rate, ceiling, 441);
    assertTrue(truePeakDb(y, 2, rate) <= ceiling, "true peak " + truePeakDb(y, 2, rate));
  }

  @Test
  void fullScaleSquareStaysUnderTheCeiling() {
    int rate = 44_100;
    float[] x = new float[rate];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i / 50) % 2 == 0 ? 1f : -1f; // 441 Hz
    }
    assertTrue(truePeakDb(x, 1, rate) > 0.5);
    float[] y = limit(x, 1, rate, -1, 1000);
    assertTrue(truePeakDb(y, 1, rate) <= -1, "true peak " + truePeakDb(y, 1, rate));
    // Limited, not silenced: the square comes out about 1 dB down plus its overshoot.
    assertTrue(truePeakDb(y, 1, rate) > -1.5);
  }

  @Test
  void burstsAfterSilenceAreCaughtBeforeTheyArrive() {
    int rate = 48_000;
    float[] x = new float[rate];
    for (int i = 0; i < x.length; i++) {
      boolean on = (i / 2400) % 2 == 1; // 50 ms bursts, 50 ms silence
      x[i] = on ? (float) Math.sin(2 * Math.PI * 12_000 * i / rate + Math.PI / 4) * 1.4f : 0f;
    }
    float[] y = limit(x, 1, rate, -1, 256);
    assertTrue(truePeakDb(y, 1, rate) <= -1, "true peak " + truePeakDb(y, 1, rate));
  }

  @Test
  void underTheCeilingTheInputComesOutDelayedBitForBit() {
    int rate = 44_100;
    TruePeakLimiter l = new TruePeakLimiter();
    l.prepare(rate, 2);
    l.setCeiling(true, -1, 50);
    int d = l.latencyFrames();
    assertEquals(Math.round(0.002 * rate) + 23, d);
    float[] x = new float[2 * 5000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * Math.sin(i * 0.013));
    }
    float[] y = x.clone();
    l.process(y, 0, 5000);
    float[] delayed = new float[x.length];
    System.arraycopy(x, 0, delayed, 2 * d, x.length - 2 * d);
    assertArrayEquals(delayed, y);
  }
}
