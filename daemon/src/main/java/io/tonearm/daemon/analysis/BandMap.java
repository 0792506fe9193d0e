package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.SpectrumView;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps FFT bins to the values of one spectrum view at one sample rate: per-bin weighting gains and,
 * for band layouts, each band's bin range and centre. A band that spans whole bins sums their power
 * and divides by the window's noise bandwidth, so that a sine anywhere in the band reads its level;
 * a band narrower than a bin reads the bin nearest its centre. Immutable once built.
 */
final class BandMap {

  final int bands;
  final float[] centres; // empty for linear
  final int[] lo; // first bin of each band
  final int[] hi; // one past the last bin (lo == hi: use nearest bin lo)
  final float[] binGain; // power gain of each bin from the weighting

  BandMap(SpectrumView v, int size, int rate) {
    int bins = size / 2 + 1;
    double binHz = (double) rate / size;
    binGain = new float[bins];
    for (int k = 0; k < bins; k++) {
      binGain[k] = (float) Math.pow(10, FrequencyWeighting.db(v.getWeighting(), k * binHz) / 10);
    }
    if (v.getLayout() == BandLayout.BAND_LAYOUT_LINEAR) {
      bands = bins;
      centres = new float[0];
      lo = null;
      hi = null;
      return;
    }
    double nyquist = rate / 2.0;
    double min = Math.min(v.getMinHz(), nyquist * 0.99);
    double max = Math.min(v.getMaxHz(), nyquist);
    List<double[]> edges = edges(v, min, max);
    bands = edges.size();
    centres = new float[bands];
    lo = new int[bands];
    hi = new int[bands];
    for (int b = 0; b < bands; b++) {
      double[] e = edges.get(b);
      centres[b] = (float) e[1];
      // Bins whose centres fall in [low edge, high edge).
      int first = (int) Math.ceil(e[0] / binHz);
      int last = (int) Math.ceil(e[2] / binHz);
      first = Math.min(first, bins - 1);
      last = Math.min(last, bins);
      if (last <= first) {
        lo[b] = (int) Math.min(bins - 1, Math.round(e[1] / binHz));
        hi[b] = lo[b];
      } else {
        lo[b] = first;
        hi[b] = last;
      }
    }
  }

  /** Band edges as {low, centre, high} in Hz, lowest first. */
  private static List<double[]> edges(SpectrumView v, double min, double max) {
    List<double[]> out = new ArrayList<>();
    switch (v.getLayout()) {
      case BAND_LAYOUT_OCTAVE:
        {
          // ANSI S1.11-2004 / IEC 61260-1: G = 2 or 10^(3/10); mid-band f = 1000 G^(x/b) for odd b,
          // 1000 G^((2x+1)/(2b)) for even b; edges at f G^(-+1/(2b)).
          int b = v.getOctaveFraction();
          double g = v.getOctaveBase10() ? Math.pow(10, 0.3) : 2;
          for (int x = -400; x <= 400; x++) {
            double exp = b % 2 == 1 ? (double) x / b : (2.0 * x + 1) / (2.0 * b);
            double fm = 1000 * Math.pow(g, exp);
            if (fm >= min && fm <= max) {
              double half = Math.pow(g, 1.0 / (2 * b));
              out.add(new double[] {fm / half, fm, fm * half});
            }
          }
          return out;
        }
      case BAND_LAYOUT_MEL:
        return spaced(v.getBandCount(), mel(min), mel(max), BandMap::melToHz);
      case BAND_LAYOUT_BARK:
        return spaced(v.getBandCount(), bark(min), bark(max), BandMap::barkToHz);
      default:
        return spaced(v.getBandCount(), Math.log(min), Math.log(max), Math::exp); // log-spaced
    }
  }

  private static List<double[]> spaced(
      int n, double a, double b, java.util.function.DoubleUnaryOperator toHz) {
    List<double[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double lo = a + (b - a) * i / n;
      double hi = a + (b - a) * (i + 1) / n;
      out.add(
          new double[] {
            toHz.applyAsDouble(lo), toHz.applyAsDouble((lo + hi) / 2), toHz.applyAsDouble(hi)
          });
    }
    return out;
  }

  static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  static double melToHz(double m) {
    return 700 * (Math.pow(10, m / 2595) - 1);
  }

  /** Traunmueller (1990): z = 26.81 f / (1960 + f) - 0.53. */
  static double bark(double hz) {
    return 26.81 * hz / (1960 + hz) - 0.53;
  }

  static double barkToHz(double z) {
    return 1960 * (z + 0.53) / (26.28 - z);
  }

  /**
   * Fills {@code out} with band powers (1.0 = a full-scale sine) from the bin powers of the
   * transform {@code x} (packed as {@link FftBank.Entry#spectrum}: |X[k]|^2 as {@link
   * FftBank.Entry#power} gives it) times per-bin {@code weight} (the caller's scaling to a
   * bin-centred sine's squared amplitude, times {@link #binGain}) and the window's noise bandwidth
   * {@code enbw} in bins. Band layouts only: a linear view's values are its weighted bins.
   */
  void powers(float[] x, float[] weight, double enbw, float[] out) {
    for (int b = 0; b < bands; b++) {
      double p;
      if (hi[b] == lo[b]) {
        int k = lo[b];
        p = FftBank.Entry.power(x, k) * weight[k];
      } else {
        p = FftBank.Entry.weightedPowerSum(x, lo[b], hi[b], weight) / enbw;
      }
      out[b] = (float) p;
    }
  }
}
