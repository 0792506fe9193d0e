package io.tonearm.daemon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/** Known-answer measurements on decoded PCM, shared by the decoder tests. */
final class Signals {

  private Signals() {}

  static Path fixture(String name) {
    try {
      return Path.of(Signals.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes the whole stream in odd-sized blocks; fails if a read returns 0 too often. */
  static float[] decodeAll(Decoder d) throws IOException {
    int ch = d.format().channels();
    float[] all = new float[1 << 16];
    float[] block = new float[1000 * ch];
    int len = 0;
    int zeros = 0;
    while (true) {
      int n = d.read(block, 0, 1000);
      if (n < 0) {
        return Arrays.copyOf(all, len);
      }
      zeros = n == 0 ? zeros + 1 : 0;
      assertTrue(zeros < 100, "decoder keeps returning 0 frames");
      if (len + n * ch > all.length) {
        all = Arrays.copyOf(all, all.length * 2);
      }
      System.arraycopy(block, 0, all, len, n * ch);
      len += n * ch;
    }
  }

  static float[] decodeAll(Path file) throws IOException {
    try (Decoder d = Decoders.open(file)) {
      return decodeAll(d);
    }
  }

  /** RMS of one channel over frames [from, to). */
  /** The largest absolute sample value. */
  static float peak(float[] pcm) {
    float peak = 0;
    for (float v : pcm) {
      peak = Math.max(peak, Math.abs(v));
    }
    return peak;
  }

  static double rms(float[] pcm, int channels, int channel, int from, int to) {
    double sum = 0;
    for (int f = from; f < to; f++) {
      double v = pcm[f * channels + channel];
      sum += v * v;
    }
    return Math.sqrt(sum / (to - from));
  }

  /** Frequency from the interpolated positions of the first and last rising zero crossings. */
  static double frequency(float[] pcm, int channels, int channel, int rate, int from, int to) {
    double first = -1;
    double last = -1;
    int crossings = 0;
    for (int f = from + 1; f < to; f++) {
      double a = pcm[(f - 1) * channels + channel];
      double b = pcm[f * channels + channel];
      if (a < 0 && b >= 0) {
        double t = f - 1 + a / (a - b);
        if (first < 0) {
          first = t;
        }
        last = t;
        crossings++;
      }
    }
    return (crossings - 1) * rate / (last - first);
  }

  /**
   * Energy left after a least-squares fit of a sine and cosine at {@code freq} (plus DC) over
   * frames [from, from + n), relative to the fitted sine, in dB: THD+N for a pure tone, and a large
   * value for any glitch, gap or phase jump.
   */
  static double residualDb(
      float[] pcm, int channels, int channel, int from, int n, double freq, int rate) {
    double[][] a = new double[3][3];
    double[] rhs = new double[3];
    double w = 2 * Math.PI * freq / rate;
    for (int i = 0; i < n; i++) {
      double[] basis = {Math.sin(w * (from + i)), Math.cos(w * (from + i)), 1};
      double y = pcm[(from + i) * channels + channel];
      for (int r = 0; r < 3; r++) {
        rhs[r] += basis[r] * y;
        for (int c = 0; c < 3; c++) {
          a[r][c] += basis[r] * basis[c];
        }
      }
    }
    double[] coef = solve3(a, rhs);
    double signal = 0;
    double residual = 0;
    for (int i = 0; i < n; i++) {
      double fit = coef[0] * Math.sin(w * (from + i)) + coef[1] * Math.cos(w * (from + i));
      double y = pcm[(from + i) * channels + channel];
      signal += fit * fit;
      residual += (y - fit - coef[2]) * (y - fit - coef[2]);
    }
    return 10 * Math.log10(residual / signal);
  }

  private static double[] solve3(double[][] m, double[] v) {
    double[][] a = {m[0].clone(), m[1].clone(), m[2].clone()};
    double[] b = v.clone();
    for (int p = 0; p < 3; p++) {
      for (int r = p + 1; r < 3; r++) {
        double f = a[r][p] / a[p][p];
        for (int c = p; c < 3; c++) {
          a[r][c] -= f * a[p][c];
        }
        b[r] -= f * b[p];
      }
    }
    double[] x = new double[3];
    for (int r = 2; r >= 0; r--) {
      double s = b[r];
      for (int c = r + 1; c < 3; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }

  /** Decoding after {@code seek(frame)} equals decoding from the start, from that frame on. */
  static void assertSeekMatches(Path file, long frame, float tolerance) throws IOException {
    float[] all = decodeAll(file);
    try (Decoder d = Decoders.open(file)) {
      int ch = d.format().channels();
      d.seek(frame);
      float[] tail = decodeAll(d);
      float[] expected = Arrays.copyOfRange(all, (int) frame * ch, all.length);
      assertEquals(expected.length, tail.length, "frames after seeking to " + frame);
      assertArrayEquals(expected, tail, tolerance, "samples after seeking to " + frame);
    }
  }

  /**
   * A sine of {@code freq} at amplitude 0.5 split across two files plays back as one: the joined
   * decode has the expected length and no gap, overlap or click at the joint.
   */
  static void assertGapless(String ext, long framesA, long framesB, int rate, double maxDb)
      throws IOException {
    float[] a = decodeAll(fixture("gapless_440Hz_a." + ext));
    float[] b = decodeAll(fixture("gapless_440Hz_b." + ext));
    assertEquals(framesA * 2, a.length, "frames of part a");
    assertEquals(framesB * 2, b.length, "frames of part b");
    float[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    int around = 4096;
    double db = residualDb(joined, 2, 0, (int) framesA - around, 2 * around, 440, rate);
    assertTrue(db < maxDb, "residual at the joint " + db + " dB, limit " + maxDb);
  }
}
