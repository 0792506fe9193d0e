package io.tonearm.daemon.testing;

/**
 * Least-squares fit of a sine and cosine at a known frequency plus DC to a span of one channel:
 * what is left over is distortion and noise (THD+N), the fit gives amplitude and phase.
 */
public final class SineFit {

  /** THD+N relative to the fitted sine, in dB. */
  public final double thdNDb;

  /** Peak amplitude of the fitted sine. */
  public final double amplitude;

  /** Phase of the fitted sine, radians, at frame 0 of the signal. */
  public final double phase;

  /**
   * @param x interleaved samples
   * @param channels channels per frame
   * @param channel the channel to fit
   * @param from first frame of the span
   * @param n frames in the span
   * @param hz the sine's frequency
   * @param rate the samples' rate
   */
  public SineFit(float[] x, int channels, int channel, int from, int n, double hz, int rate) {
    double w = 2 * Math.PI * hz / rate;
    double[][] a = new double[3][3];
    double[] b = new double[3];
    for (int i = from; i < from + n; i++) {
      double[] v = {Math.sin(w * i), Math.cos(w * i), 1};
      for (int r = 0; r < 3; r++) {
        b[r] += v[r] * x[i * channels + channel];
        for (int k = 0; k < 3; k++) {
          a[r][k] += v[r] * v[k];
        }
      }
    }
    double[] s = solve(a, b);
    double sig = 0;
    double res = 0;
    for (int i = from; i < from + n; i++) {
      double f = s[0] * Math.sin(w * i) + s[1] * Math.cos(w * i);
      sig += f * f;
      double e = x[i * channels + channel] - f - s[2];
      res += e * e;
    }
    thdNDb = 10 * Math.log10(res / sig);
    amplitude = Math.hypot(s[0], s[1]);
    phase = Math.atan2(s[1], s[0]);
  }

  /**
   * Gaussian elimination of a 3x3 system (well conditioned here: sin, cos and 1 over many periods).
   */
  private static double[] solve(double[][] m, double[] v) {
    double[][] a = {m[0].clone(), m[1].clone(), m[2].clone()};
    double[] b = v.clone();
    for (int p = 0; p < 3; p++) {
      for (int r = p + 1; r < 3; r++) {
        double f = a[r][p] / a[p][p];
        for (int k = p; k < 3; k++) {
          a[r][k] -= f * a[p][k];
        }
        b[r] -= f * b[p];
      }
    }
    double[] x = new double[3];
    for (int r = 2; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < 3; k++) {
        s -= a[r][k] * x[k];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }
}
