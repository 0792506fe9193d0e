package io.tonearm.daemon.encode;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Test signals for the lossy encoders and a least-squares sine fit to judge their output. */
final class Tones {

  private Tones() {}

  /** Stereo: 440 Hz at 0.5 on the left, 1 kHz at 0.25 on the right. */
  static float[] stereo(int rate, int frames) {
    float[] s = new float[frames * 2];
    for (int i = 0; i < frames; i++) {
      s[2 * i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate));
      s[2 * i + 1] = (float) (0.25 * Math.sin(2 * Math.PI * 1000 * i / rate));
    }
    return s;
  }

  static float[] decodeAll(Path file) throws IOException {
    try (Decoder d = Decoders.open(file)) {
      int ch = d.format().channels();
      float[] out = new float[0];
      float[] buf = new float[4096 * ch];
      int n;
      while ((n = d.read(buf, 0, 4096)) > 0) {
        int o = out.length;
        out = Arrays.copyOf(out, o + n * ch);
        System.arraycopy(buf, 0, out, o, n * ch);
      }
      return out;
    }
  }

  /**
   * Fits {@code a sin + b cos} at {@code freq} to channel {@code c} over frames [from, to).
   *
   * @return {amplitude, phase in radians at frame 0, residual power / signal power in dB}
   */
  static double[] fit(float[] pcm, int channels, int c, int from, int to, double freq, int rate) {
    double ss = 0;
    double sc = 0;
    double cc = 0;
    double xs = 0;
    double xc = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freq * i / rate;
      double s = Math.sin(w);
      double k = Math.cos(w);
      double x = pcm[i * channels + c];
      ss += s * s;
      sc += s * k;
      cc += k * k;
      xs += x * s;
      xc += x * k;
    }
    double det = ss * cc - sc * sc;
    double a = (xs * cc - xc * sc) / det;
    double b = (xc * ss - xs * sc) / det;
    double err = 0;
    double sig = 0;
    for (int i = from; i < to; i++) {
      double w = 2 * Math.PI * freq * i / rate;
      double m = a * Math.sin(w) + b * Math.cos(w);
      double x = pcm[i * channels + c];
      err += (x - m) * (x - m);
      sig += m * m;
    }
    return new double[] {Math.hypot(a, b), Math.atan2(b, a), 10 * Math.log10(err / sig)};
  }
}
