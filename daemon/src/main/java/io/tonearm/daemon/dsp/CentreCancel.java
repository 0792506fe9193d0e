package io.tonearm.daemon.dsp;

/**
 * The vocal-reduction fallback for ordinary stereo tracks: band-limited mid/side centre
 * cancellation. Mid (L+R)/2 and side (L-R)/2 are each split by two Linkwitz-Riley 4th-order
 * crossovers at {@value #LOW_HZ} Hz and {@value #HIGH_HZ} Hz; the mid's middle band (where a
 * centred lead voice lives) takes the vocal gain, everything else (bass and cymbals in the centre,
 * the whole side) the instrumental gain. Both signals go through the same crossovers, so with both
 * gains at unity the output is the input through an all-pass filter (flat magnitude), and stereo
 * placement is kept.
 *
 * <p>While both gains are at unity the filter is bypassed (no cost); switching in or out crossfades
 * over {@value #FADE_SECONDS} s, and gain changes ramp like {@link VolumeRamp}, so nothing clicks.
 * Output thread only; allocation-free after {@link #prepare}.
 */
public final class CentreCancel {

  /** Lower edge of the cancelled band, Hz: kick drum and bass stay. */
  public static final double LOW_HZ = 120;

  /** Upper edge of the cancelled band, Hz (at most 0.4 of the rate): cymbals and air stay. */
  public static final double HIGH_HZ = 8000;

  static final double FADE_SECONDS = 0.05;

  private static final int SECTIONS = 16; // 4 crossover halves x 2 biquads, for mid and for side

  private final double[] lp1 = new double[5];
  private final double[] hp1 = new double[5];
  private final double[] lp2 = new double[5];
  private final double[] hp2 = new double[5];
  private final double[] z = new double[SECTIONS * 2];
  private int rate;
  private float vocal = 1f;
  private float instrumental = 1f;
  private float wet;
  private boolean running;

  /** Designs the filters for {@code sampleRate}; starts from silence. */
  public void prepare(int sampleRate) {
    rate = sampleRate;
    double high = Math.min(HIGH_HZ, 0.4 * sampleRate);
    double q = Math.sqrt(0.5); // two Butterworth sections make a Linkwitz-Riley
    Biquad.design(FilterType.LOW_PASS, sampleRate, LOW_HZ, 0, q, lp1);
    Biquad.design(FilterType.HIGH_PASS, sampleRate, LOW_HZ, 0, q, hp1);
    Biquad.design(FilterType.LOW_PASS, sampleRate, high, 0, q, lp2);
    Biquad.design(FilterType.HIGH_PASS, sampleRate, high, 0, q, hp2);
    reset();
  }

  /** The rate prepared for, 0 before {@link #prepare}. */
  public int rate() {
    return rate;
  }

  /** Forgets the signal (a seek, a new stream); the next change starts from the targets. */
  public void reset() {
    java.util.Arrays.fill(z, 0);
    running = false;
    wet = 0;
  }

  /** Skips the ramps to the targets of the next block: after a break there is nothing to smooth. */
  public void jump(float vocalTarget, float instrumentalTarget) {
    vocal = vocalTarget;
    instrumental = instrumentalTarget;
    boolean active = vocalTarget != 1f || instrumentalTarget != 1f;
    wet = active ? 1f : 0f;
  }

  /**
   * Processes {@code frames} stereo frames of {@code buf} from {@code offset}, in place.
   *
   * @param vocalTarget linear gain of the centre band
   * @param instrumentalTarget linear gain of the rest
   */
  public void process(
      float[] buf, int offset, int frames, float vocalTarget, float instrumentalTarget) {
    boolean active = vocalTarget != 1f || instrumentalTarget != 1f;
    if (!active && wet == 0f) {
      vocal = vocalTarget;
      instrumental = instrumentalTarget;
      running = false;
      return;
    }
    if (!running) {
      java.util.Arrays.fill(z, 0);
      running = true;
    }
    float fadeStep = (float) (1.0 / (FADE_SECONDS * rate));
    float gainStep = (float) (1.0 / (VolumeRamp.RAMP_SECONDS * rate));
    float wetTarget = active ? 1f : 0f;
    float w = wet;
    float gv = vocal;
    float gi = instrumental;
    for (int i = offset, end = offset + 2 * frames; i < end; i += 2) {
      w = toward(w, wetTarget, fadeStep);
      gv = toward(gv, vocalTarget, gainStep);
      gi = toward(gi, instrumentalTarget, gainStep);
      double l = buf[i];
      double r = buf[i + 1];
      double m = 0.5 * (l + r);
      double s = 0.5 * (l - r);
      double mLow = run(1, lp1, run(0, lp1, m));
      double mUp = run(3, hp1, run(2, hp1, m));
      double mBand = run(5, lp2, run(4, lp2, mUp));
      double mHigh = run(7, hp2, run(6, hp2, mUp));
      double sLow = run(9, lp1, run(8, lp1, s));
      double sUp = run(11, hp1, run(10, hp1, s));
      double sBand = run(13, lp2, run(12, lp2, sUp));
      double sHigh = run(15, hp2, run(14, hp2, sUp));
      double mid = gi * (mLow + mHigh) + gv * mBand;
      double side = gi * (sLow + sBand + sHigh);
      buf[i] = (float) (l + w * (mid + side - l));
      buf[i + 1] = (float) (r + w * (mid - side - r));
    }
    wet = w;
    vocal = gv;
    instrumental = gi;
    if (wet == 0f) {
      running = false;
    }
  }

  private static float toward(float v, float target, float step) {
    if (v < target) {
      return Math.min(target, v + step);
    }
    return v > target ? Math.max(target, v - step) : v;
  }

  /** One biquad section (transposed direct form II) with state {@code k}. */
  private double run(int k, double[] c, double x) {
    int p = 2 * k;
    double y = c[Biquad.B0] * x + z[p];
    z[p] = c[Biquad.B1] * x - c[Biquad.A1] * y + z[p + 1];
    z[p + 1] = c[Biquad.B2] * x - c[Biquad.A2] * y;
    return y;
  }
}
