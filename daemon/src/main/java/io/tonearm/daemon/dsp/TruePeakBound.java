package io.tonearm.daemon.dsp;

/**
 * An upper bound on what {@link TruePeak}'s oversampling filter can output over a stretch of
 * samples, cheap to compute from the stretch's sample peaks and second differences, so that the
 * filter can be skipped where its output cannot matter. Immutable after construction; any thread.
 *
 * <p>For one phase with taps {@code h[t]} (tap {@code t} multiplies the sample {@code t} before the
 * newest), write the taps' sum {@code S} and centroid {@code ν = Σ t·h[t] / S}, and let {@code a =
 * floor(ν)}. The phase's output is {@code S} times the linear interpolation of samples {@code a}
 * and {@code a + 1} at {@code ν}, plus the residual filter {@code e = h - S·lin}, whose sum and
 * first moment are zero. Such a filter is a sum of second differences: {@code Σ e[t]·x[-t] = Σ
 * G[m]·Δ²x}, with {@code G} its double running sum. So, over a window:
 *
 * <pre>
 *   |y| <= min( Σ|h| · W,  |S| · R + K2 · D + ρ · W ) + 1e-5 · W
 * </pre>
 *
 * where {@code W} is the window's sample peak, {@code R} the peak of the samples interpolated
 * between, {@code D} the largest {@code |x[n] - 2x[n-1] + x[n-2]|}, {@code K2 = max Σ|G|} over the
 * phases, {@code ρ} what double arithmetic left of the moments (about 1e-15), and {@code 1e-5·W}
 * covers float rounding of the filter (24 products and sums: under 5e-6·W) and of this bound. The
 * first term is the filter's largest gain; the second is tight for smooth signals (a 220 Hz sine at
 * 44.1 kHz has {@code D} 0.1% of its amplitude), so only the samples near a crest need the filter.
 */
final class TruePeakBound {

  /** Samples summarised together: the bound's resolution. */
  static final int GROUP = 8;

  /** Float rounding headroom, relative to the window's sample peak. */
  static final float ROUNDING = 1e-5f;

  private final int taps;
  final float gain; // max over the phases of Σ|h|
  final float sum; // max |S|
  final float k2;
  final float residual;
  final int nearMin; // smallest and largest tap interpolated between
  final int nearMax;

  TruePeakBound(float[][] phases) {
    taps = phases[0].length;
    double g = 0;
    double s = 0;
    double k = 0;
    double r = 0;
    int lo = taps;
    int hi = 0;
    for (float[] h : phases) {
      double abs = 0;
      double sp = 0;
      double moment = 0;
      for (int t = 0; t < taps; t++) {
        abs += Math.abs(h[t]);
        sp += h[t];
        moment += t * (double) h[t];
      }
      double nu = moment / sp;
      int a = (int) Math.floor(nu);
      if (a < 0 || a + 1 >= taps) {
        throw new IllegalArgumentException("phase centroid " + nu + " outside the taps");
      }
      double wb = nu - a;
      double[] e = new double[taps];
      for (int t = 0; t < taps; t++) {
        e[t] = h[t];
      }
      e[a] -= sp * (1 - wb);
      e[a + 1] -= sp * wb;
      // e[t] = G[t] - 2G[t-1] + G[t-2] for t < taps - 2; the last two rows are what is left.
      double[] gm = new double[taps - 2];
      double absG = 0;
      for (int t = 0; t < taps - 2; t++) {
        gm[t] = e[t] + (t >= 1 ? 2 * gm[t - 1] : 0) - (t >= 2 ? gm[t - 2] : 0);
        absG += Math.abs(gm[t]);
      }
      double left =
          Math.abs(e[taps - 2] - (gm[taps - 4] - 2 * gm[taps - 3]))
              + Math.abs(e[taps - 1] - gm[taps - 3]);
      g = Math.max(g, abs);
      s = Math.max(s, Math.abs(sp));
      k = Math.max(k, absG);
      r = Math.max(r, left);
      lo = Math.min(lo, a);
      hi = Math.max(hi, a + 1);
    }
    gain = (float) g;
    sum = (float) s;
    k2 = (float) k;
    residual = (float) r;
    nearMin = lo;
    nearMax = hi;
  }

  /**
   * Fills, for each group of {@link #GROUP} samples of {@code line[0..end)}, its sample peak into
   * {@code peaks} and its largest {@code |x[n] - 2x[n-1] + x[n-2]|} (for {@code n >= 2}) into
   * {@code curves} (a group past {@code end} counts as zeros). Returns the number of groups. One
   * pass, two running maxima per group, plain comparisons: the C1 compiler the daemon runs with
   * neither vectorises nor turns {@code Math.max} into a comparison, so separate whole-array passes
   * cost it more than they save C2. The values are those of maxima however taken (absolute values:
   * no NaN, no -0).
   */
  static int summarise(float[] line, int end, float[] peaks, float[] curves) {
    int groups = (end + GROUP - 1) / GROUP;
    float before = 0; // line[i - 2]
    float last = 0; // line[i - 1]
    for (int g = 0, i = 0; g < groups; g++) {
      float p = 0;
      float d = 0;
      for (int stop = Math.min(end, i + GROUP); i < stop; i++) {
        float x = line[i];
        float a = Math.abs(x);
        if (a > p) {
          p = a;
        }
        if (i >= 2) {
          float c = Math.abs(x - 2 * last + before);
          if (c > d) {
            d = c;
          }
        }
        before = last;
        last = x;
      }
      peaks[g] = p;
      curves[g] = d;
    }
    return groups;
  }

  /**
   * The bound for the filter's outputs at {@code line} indices {@code from..to-1} (tap {@code t} on
   * {@code line[j - t]}; {@code from >= taps - 1}), from {@link #summarise}'s groups: each range is
   * widened to whole groups, which only loosens the bound.
   */
  float over(float[] peaks, float[] curves, int groups, int from, int to) {
    float w = max(peaks, from - (taps - 1), to, groups);
    float near = max(peaks, from - nearMax, to - nearMin, groups);
    float d = max(curves, from - (taps - 3), to, groups);
    float smooth = sum * near + k2 * d + residual * w;
    return Math.min(gain * w, smooth) + ROUNDING * w;
  }

  /**
   * The first term of {@link #over} alone, the filter's largest gain times the window's sample
   * peak, plus the rounding headroom: never below {@link #over}'s value (float rounding is
   * monotonic), and it reads the peaks only, so a stretch it keeps under a bar needs no second
   * differences.
   */
  float gainOver(float[] peaks, int groups, int from, int to) {
    float w = max(peaks, from - (taps - 1), to, groups);
    return gain * w + ROUNDING * w;
  }

  /** The first group whose second difference {@link #over} reads for outputs from {@code from}. */
  int curveGroup(int from) {
    return Math.max(0, from - (taps - 3)) / GROUP;
  }

  /** The filter's largest output for inputs no larger than {@code peak}, with headroom. */
  float gainBound(float peak) {
    return gain * peak + ROUNDING * peak;
  }

  /** The largest group value over the groups holding samples {@code from..to-1}. */
  private static float max(float[] v, int from, int to, int groups) {
    float m = 0;
    for (int g = from / GROUP, last = Math.min(groups - 1, (to - 1) / GROUP); g <= last; g++) {
      if (v[g] > m) {
        m = v[g];
      }
    }
    return m;
  }
}
