package io.tonearm.daemon.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The static curve against equation 4 of Giannoulis, Massberg and Reiss (2012). */
class CompressorTest {

  /** Output level for a steady input at {@code inDb} after the detector settled, dB. */
  private static double steadyOutDb(Compressor c, int rate, double inDb) {
    c.reset();
    float level = (float) Math.pow(10, inDb / 20);
    float[] x = new float[2 * rate / 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i / 2) % 2 == 0 ? level : -level; // a square at fs/2: steady peak and RMS level
    }
    c.process(x, 0, x.length / 2);
    return 20 * Math.log10(Math.abs(x[x.length - 1]));
  }

  /** The paper's static curve, written out here on its own. */
  private static double expected(double x, double t, double r, double w) {
    if (2 * (x - t) < -w) {
      return x;
    }
    if (2 * Math.abs(x - t) <= w) {
      return x + (1 / r - 1) * Math.pow(x - t + w / 2, 2) / (2 * w);
    }
    return t + (x - t) / r;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void staticCurveWithinOneTenthDb(boolean rms) {
    int rate = 48_000;
    Compressor c = new Compressor();
    c.prepare(rate, 2);
    double t = -20;
    double r = 4;
    double w = 8;
    double makeup = 3;
    c.setSettings(new CompressorSettings(rms, t, r, w, 1, 20, makeup));
    for (double in = -40; in <= 0; in += 2) {
      steadyOutDb(c, rate, in); // lets ratio, threshold and make-up glide in
      double got = steadyOutDb(c, rate, in);
      assertEquals(expected(in, t, r, w) + makeup, got, 0.1, "input " + in + " dBFS");
    }
  }

  @Test
  void hardKneeAndHighRatio() {
    int rate = 44_100;
    Compressor c = new Compressor();
    c.prepare(rate, 2);
    c.setSettings(new CompressorSettings(false, -10, 20, 0, 1, 20, 0));
    steadyOutDb(c, rate, -30);
    assertEquals(-30, steadyOutDb(c, rate, -30), 0.1);
    assertEquals(-10 + 10 / 20.0, steadyOutDb(c, rate, 0), 0.1);
  }

  @Test
  void neutralLeavesSamplesUntouched() {
    Compressor c = new Compressor();
    c.prepare(44_100, 2);
    float[] x = new float[4000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.11);
    }
    float[] y = x.clone();
    c.process(y, 0, 2000);
    assertArrayEquals(x, y);
  }

  @Test
  void attackReducesGradually() {
    int rate = 48_000;
    Compressor c = new Compressor();
    c.prepare(rate, 1);
    c.setSettings(new CompressorSettings(false, -20, 10, 0, 10, 100, 0));
    float[] quiet = new float[rate];
    java.util.Arrays.fill(quiet, 0.01f);
    c.process(quiet, 0, quiet.length); // the settings glide in below the threshold
    float[] loud = new float[rate / 10];
    java.util.Arrays.fill(loud, 1f);
    c.process(loud, 0, loud.length);
    // 10 ms attack: after one time constant about 63% of the 18 dB reduction is reached.
    double at10ms = 20 * Math.log10(loud[rate / 100]);
    assertTrue(at10ms < -9 && at10ms > -14, "after 10 ms " + at10ms);
    assertEquals(-18, 20 * Math.log10(loud[loud.length - 1]), 0.1);
  }
}
