package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantizerTest {

  private static final int N = 1 << 16;
  private static final int BIN = 1000; // the test sine sits on this DFT bin: no leakage

  @Test
  void everySixteenBitWordComesBackAtUnity() {
    for (boolean dither : new boolean[] {true, false}) {
      Quantizer q = new Quantizer(16, dither);
      float[] src = new float[65536];
      for (int k = -32768; k < 32768; k++) {
        src[k + 32768] = k / 32768f; // as the decoders read them
      }
      byte[] out = new byte[2 * src.length];
      assertEquals(out.length, q.toLittleEndian(src, 0, src.length, out, 0));
      for (int k = -32768; k < 32768; k++) {
        int i = 2 * (k + 32768);
        assertEquals(k, (short) ((out[i] & 0xFF) | (out[i + 1] << 8)), "word " + k);
      }
    }
  }

  @Test
  void everyTwentyFourBitWordComesBackAtUnity() {
    Quantizer q = new Quantizer(24, true);
    float[] src = new float[4096];
    byte[] out = new byte[3 * src.length];
    for (int base = -(1 << 23); base < (1 << 23); base += src.length) {
      for (int i = 0; i < src.length; i++) {
        src[i] = (base + i) / 8388608f;
      }
      q.toLittleEndian(src, 0, src.length, out, 0);
      for (int i = 0; i < src.length; i++) {
        int v = ((out[3 * i] & 0xFF) | (out[3 * i + 1] & 0xFF) << 8 | out[3 * i + 2] << 16);
        if (v != base + i) {
          assertEquals(base + i, v);
        }
      }
    }
  }

  @Test
  void pastFullScaleClipsAndNanIsSilence() {
    Quantizer q = new Quantizer(16, false);
    assertEquals(32767, q.word(1f));
    assertEquals(32767, q.word(1.5f));
    assertEquals(-32768, q.word(-1f));
    assertEquals(-32768, q.word(-7f));
    assertEquals(0, q.word(Float.NaN));
    assertEquals(8388607, new Quantizer(24, true).ditheredWord(2f));
    assertThrows(IllegalArgumentException.class, () -> new Quantizer(20, true));
  }

  /** A -90 dBFS sine after -20 dB of gain: 0.1 LSB at 16 bits, on bin {@link #BIN}. */
  private static float[] quietSine() {
    float[] x = new float[N];
    double a = Math.pow(10, -110 / 20.0);
    for (int n = 0; n < N; n++) {
      x[n] = (float) (a * Math.sin(2 * Math.PI * BIN * n / N));
    }
    return x;
  }

  private static int[] quantize(Quantizer q, float[] x) {
    byte[] out = new byte[2 * N];
    for (int at = 0; at < N; at += 4096) {
      q.toLittleEndian(x, at, 4096, out, 2 * at);
    }
    int[] w = new int[N];
    for (int n = 0; n < N; n++) {
      w[n] = (short) ((out[2 * n] & 0xFF) | (out[2 * n + 1] << 8));
    }
    return w;
  }

  /** |X_k|^2 of a real signal. */
  private static double power(double[] e, int k) {
    double re = 0;
    double im = 0;
    for (int n = 0; n < e.length; n++) {
      double phi = 2 * Math.PI * ((long) k * n % e.length) / e.length;
      re += e[n] * Math.cos(phi);
      im -= e[n] * Math.sin(phi);
    }
    return re * re + im * im;
  }

  @Test
  void ditheredErrorIsNoiseWithNoToneOrHarmonic() {
    float[] x = quietSine();
    int[] w = quantize(new Quantizer(16, true), x);
    double[] error = new double[N];
    double sumSquares = 0;
    for (int n = 0; n < N; n++) {
      error[n] = w[n] - x[n] * 32768.0;
      sumSquares += error[n] * error[n];
    }
    double variance = sumSquares / N;
    assertEquals(0.25, variance, 0.01, "TPDF (1/6 LSB^2) plus rounding (1/12 LSB^2)");
    double floor = N * variance; // the mean |E_k|^2 of white noise of that variance
    for (int h = 1; h <= 5; h++) {
      double p = power(error, h * BIN);
      assertTrue(p < 10 * floor, "harmonic " + h + ": " + 10 * Math.log10(p / floor) + " dB");
    }
    // The tone itself survives in the dithered words (0.1 LSB * N / 2 at its bin).
    double[] words = new double[N];
    for (int n = 0; n < N; n++) {
      words[n] = w[n];
    }
    double expected = 0.1036 * N / 2;
    assertEquals(expected, Math.sqrt(power(words, BIN)), 0.25 * expected);
  }

  @Test
  void withoutDitherTheWordsAreTheRoundedSamples() {
    float[] x = quietSine();
    int[] w = quantize(new Quantizer(16, false), x);
    for (int n = 0; n < N; n++) {
      assertEquals((int) Math.rint(x[n] * 32768.0), w[n]);
    }
    float[] louder = new float[N];
    for (int n = 0; n < N; n++) {
      louder[n] = x[n] * 3000; // about 311 LSB peak: rounding, no noise added
    }
    w = quantize(new Quantizer(16, false), louder);
    for (int n = 0; n < N; n++) {
      assertEquals((int) Math.rint(louder[n] * 32768.0), w[n]);
    }
  }
}
