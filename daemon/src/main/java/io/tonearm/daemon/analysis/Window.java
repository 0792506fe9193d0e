package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.SpectrumWindow;

/**
 * FFT windows as periodic (DFT-even) cosine sums, so that a sine at a bin centre sees exactly the
 * window's coherent gain (its mean, the a0 term). Immutable.
 */
final class Window {

  final float[] w;

  /** Mean of the window: the amplitude of a bin-centred sine of amplitude 1 after windowing. */
  final double coherentGain;

  /** Equivalent noise bandwidth in bins: N sum(w^2) / sum(w)^2. */
  final double enbw;

  Window(SpectrumWindow kind, int n) {
    double[] a = coefficients(kind);
    w = new float[n];
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; i++) {
      double x = 2 * Math.PI * i / n;
      double v = a[0] - a[1] * Math.cos(x) + a[2] * Math.cos(2 * x) - a[3] * Math.cos(3 * x);
      w[i] = (float) v;
      sum += v;
      sq += v * v;
    }
    coherentGain = sum / n;
    enbw = n * sq / (sum * sum);
  }

  private static double[] coefficients(SpectrumWindow kind) {
    switch (kind) {
      case SPECTRUM_WINDOW_BLACKMAN_HARRIS:
        return new double[] {0.35875, 0.48829, 0.14128, 0.01168};
      case SPECTRUM_WINDOW_BLACKMAN:
        // Web Audio's definition: alpha 0.16, a0 = (1 - alpha) / 2, a1 = 1/2, a2 = alpha / 2.
        return new double[] {0.42, 0.5, 0.08, 0};
      default:
        return new double[] {0.5, 0.5, 0, 0};
    }
  }
}
