package io.tonearm.daemon.dsp;

import java.util.List;

/**
 * Up to {@link EnhancementSettings#MAX_BANDS} biquads in series ({@link Biquad}, transposed direct
 * form II in double precision). New settings are reached without clicks: every {@value #SUB} frames
 * each band's frequency, gain and Q move a step toward their targets (a one-pole glide of {@value
 * #GLIDE_MS} ms; frequency and Q on a log scale) and its coefficients are recomputed. A band whose
 * shape changes first glides to neutral, then changes shape and glides to its target. Bands at
 * neutral are skipped, so an equaliser without bands leaves samples untouched.
 *
 * <p>{@link #setBands} from any thread; the rest on the output thread (see {@link Stage}).
 */
public final class ParametricEq implements Stage {

  /** Frames between two coefficient updates while a band glides. */
  static final int SUB = 32;

  /** Time constant of a parameter glide. */
  static final double GLIDE_MS = 20;

  private static final int N = EnhancementSettings.MAX_BANDS;

  private volatile List<EqBand> wanted = List.of();
  private List<EqBand> seen;
  private final FilterType[] type = new FilterType[N];
  private final FilterType[] targetType = new FilterType[N];
  private final double[] logF = new double[N];
  private final double[] gain = new double[N];
  private final double[] logQ = new double[N];
  private final double[] targetLogF = new double[N];
  private final double[] targetGain = new double[N];
  private final double[] targetLogQ = new double[N];
  private final boolean[] active = new boolean[N];
  private final boolean[] gliding = new boolean[N];
  private final double[][] coef = new double[N][5];
  private double[] z1 = new double[0];
  private double[] z2 = new double[0];
  private int rate = 48_000;
  private int channels = 2;
  private double glideStep;

  /** The bands to glide to (at most {@link EnhancementSettings#MAX_BANDS}); any thread. */
  public void setBands(List<EqBand> bands) {
    if (bands.size() > N) {
      throw new IllegalArgumentException("at most " + N + " bands");
    }
    wanted = List.copyOf(bands);
  }

  @Override
  public void prepare(int sampleRate, int channels) {
    this.rate = sampleRate;
    this.channels = channels;
    z1 = new double[N * channels];
    z2 = new double[N * channels];
    glideStep = 1 - Math.exp(-SUB / (GLIDE_MS / 1000 * sampleRate));
    for (int b = 0; b < N; b++) {
      if (active[b]) {
        design(b);
      }
    }
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(z1, 0);
    java.util.Arrays.fill(z2, 0);
  }

  @Override
  public void process(float[] buf, int offset, int frames) {
    List<EqBand> w = wanted;
    if (w != seen) {
      retarget(w);
    }
    for (int at = 0; at < frames; at += SUB) {
      int n = Math.min(SUB, frames - at);
      int from = offset + at * channels;
      for (int b = 0; b < N; b++) {
        if (!active[b]) {
          continue;
        }
        if (gliding[b]) {
          glide(b);
          if (!active[b]) {
            continue;
          }
        }
        filter(b, buf, from, n);
      }
    }
  }

  private void filter(int b, float[] buf, int from, int n) {
    double[] c = coef[b];
    double b0 = c[Biquad.B0];
    double b1 = c[Biquad.B1];
    double b2 = c[Biquad.B2];
    double a1 = c[Biquad.A1];
    double a2 = c[Biquad.A2];
    for (int ch = 0; ch < channels; ch++) {
      int z = b * channels + ch;
      double s1 = z1[z];
      double s2 = z2[z];
      for (int i = 0, k = from + ch; i < n; i++, k += channels) {
        double x = buf[k];
        double y = b0 * x + s1;
        s1 = b1 * x - a1 * y + s2;
        s2 = b2 * x - a2 * y;
        buf[k] = (float) y;
      }
      // Flush denormals: a decaying state in silence would otherwise slow the loop a hundredfold.
      z1[z] = Math.abs(s1) < 1e-30 ? 0 : s1;
      z2[z] = Math.abs(s2) < 1e-30 ? 0 : s2;
    }
  }

  private void retarget(List<EqBand> w) {
    seen = w;
    for (int b = 0; b < N; b++) {
      if (b < w.size()) {
        EqBand band = w.get(b);
        targetType[b] = band.type();
        targetLogF[b] = Math.log(band.frequencyHz());
        targetGain[b] = band.type().hasGain() ? band.gainDb() : 0;
        targetLogQ[b] = Math.log(band.q());
        if (!active[b]) { // starts from its shape's neutral
          type[b] = band.type();
          EqBand open = band.scaled(0);
          logF[b] = Math.log(open.frequencyHz());
          gain[b] = 0;
          logQ[b] = targetLogQ[b];
          active[b] = true;
          design(b);
        }
      } else {
        targetType[b] = null; // glide to neutral, then off
      }
      gliding[b] = active[b];
    }
  }

  /** One glide step of band {@code b}; switches its shape or turns it off at neutral. */
  private void glide(int b) {
    boolean toNeutral = targetType[b] != type[b];
    double tf;
    double tg;
    double tq;
    if (toNeutral) {
      tf = Math.log(new EqBand(type[b], 1000, 0, 1).scaled(0).frequencyHz());
      tf = type[b].hasGain() ? logF[b] : tf;
      tg = 0;
      tq = logQ[b];
    } else {
      tf = targetLogF[b];
      tg = targetGain[b];
      tq = targetLogQ[b];
    }
    logF[b] = near(logF[b], tf, 1e-5) ? tf : logF[b] + (tf - logF[b]) * glideStep;
    gain[b] = near(gain[b], tg, 1e-4) ? tg : gain[b] + (tg - gain[b]) * glideStep;
    logQ[b] = near(logQ[b], tq, 1e-5) ? tq : logQ[b] + (tq - logQ[b]) * glideStep;
    boolean arrived = logF[b] == tf && gain[b] == tg && logQ[b] == tq;
    if (arrived && toNeutral) {
      if (targetType[b] == null) {
        active[b] = false;
        gliding[b] = false;
        int z = b * channels;
        java.util.Arrays.fill(z1, z, z + channels, 0);
        java.util.Arrays.fill(z2, z, z + channels, 0);
        return;
      }
      type[b] = targetType[b]; // at neutral: the new shape starts from its own neutral
      EqBand open = new EqBand(type[b], 1000, 0, 1).scaled(0);
      logF[b] = type[b].hasGain() ? targetLogF[b] : Math.log(open.frequencyHz());
      gain[b] = 0;
      arrived = false;
    }
    gliding[b] = !arrived;
    design(b);
  }

  private static boolean near(double a, double b, double eps) {
    return Math.abs(a - b) < eps;
  }

  private void design(int b) {
    double f = Math.max(1, Math.min(Math.exp(logF[b]), 0.45 * rate));
    Biquad.design(type[b], rate, f, gain[b], Math.exp(logQ[b]), coef[b]);
  }
}
