package io.tonearm.daemon.dsp;

/**
 * The ITU-R BS.1770-4 K-weighting pre-filter (a high shelf then a high pass) for any sample rate.
 *
 * <p>BS.1770 tabulates the coefficients only at 48 kHz. Here they are derived from the analog
 * prototype whose parameters (shelf 1681.97 Hz, +4.00 dB, Q 0.7072; high pass 38.135 Hz, Q 0.5003)
 * reproduce that table, as published with libebur128 by J. Kotula and in B. De Man's "Evaluation of
 * implementations of the EBU R128 loudness measurement" (AES 2018), through the bilinear transform
 * with frequency prewarping. Mutable only through {@link #reset} and {@link #filter}; one owner
 * thread. Shared by the loudness meters and the enhancement chain's loudness matching.
 */
public final class KWeighting {

  private static final double SHELF_HZ = 1681.974450955533;
  private static final double SHELF_GAIN_DB = 3.999843853973347;
  private static final double SHELF_Q = 0.7071752369554196;
  private static final double HIGHPASS_HZ = 38.13547087602444;
  private static final double HIGHPASS_Q = 0.5003270373238773;

  /** Stage 1 (shelf) numerator and denominator; a0 normalised to 1. */
  final double b0;

  final double b1;
  final double b2;
  final double a1;
  final double a2;

  /** Stage 2 (high pass) denominator; its numerator is 1, -2, 1. */
  final double c1;

  final double c2;

  private final double[] state; // per channel: stage-1 s1, s2, stage-2 s1, s2 (transposed DF II)

  public KWeighting(int sampleRate, int maxChannels) {
    double k = Math.tan(Math.PI * SHELF_HZ / sampleRate);
    double vh = Math.pow(10, SHELF_GAIN_DB / 20);
    double vb = Math.pow(vh, 0.4996667741545416);
    double a0 = 1 + k / SHELF_Q + k * k;
    b0 = (vh + vb * k / SHELF_Q + k * k) / a0;
    b1 = 2 * (k * k - vh) / a0;
    b2 = (vh - vb * k / SHELF_Q + k * k) / a0;
    a1 = 2 * (k * k - 1) / a0;
    a2 = (1 - k / SHELF_Q + k * k) / a0;
    double h = Math.tan(Math.PI * HIGHPASS_HZ / sampleRate);
    double d0 = 1 + h / HIGHPASS_Q + h * h;
    c1 = 2 * (h * h - 1) / d0;
    c2 = (1 - h / HIGHPASS_Q + h * h) / d0;
    state = new double[maxChannels * 4];
  }

  public void reset() {
    java.util.Arrays.fill(state, 0);
  }

  /**
   * Filters {@code frames} samples of channel {@code ch} from {@code src} (stride {@code stride},
   * first at {@code offset}) and returns the sum of squares of the K-weighted samples.
   */
  public double filterEnergy(float[] src, int offset, int stride, int frames, int ch) {
    int s = ch * 4;
    double s1 = state[s];
    double s2 = state[s + 1];
    double t1 = state[s + 2];
    double t2 = state[s + 3];
    double sum = 0;
    int start = 0;
    if (s1 == 0 && s2 == 0 && t1 == 0 && t2 == 0) {
      start = silentRun(src, offset, stride, frames, 1);
    }
    for (int i = start, p = offset + start * stride; i < frames; i++, p += stride) {
      double x = src[p];
      double y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      double z = y + t1;
      t1 = -2 * y - c1 * z + t2;
      t2 = y - c2 * z;
      sum += z * z;
    }
    // Denormals would slow the loop to a crawl after long silence; flush them.
    state[s] = flush(s1);
    state[s + 1] = flush(s2);
    state[s + 2] = flush(t1);
    state[s + 3] = flush(t2);
    return sum;
  }

  /**
   * {@link #filterEnergy} for channels {@code ch} and {@code ch + 1} of interleaved frames at once,
   * adding their sums of squares into {@code energy[0]} and {@code energy[1]}: the same arithmetic
   * per channel, bit for bit, with the two recursions side by side so that one's latency hides the
   * other's (a recursive filter is bound by its dependency chain, not by its operations).
   */
  public void filterEnergyPair(
      float[] src, int offset, int stride, int frames, int ch, double[] energy) {
    int s = ch * 4;
    double s1 = state[s];
    double s2 = state[s + 1];
    double t1 = state[s + 2];
    double t2 = state[s + 3];
    double r1 = state[s + 4];
    double r2 = state[s + 5];
    double u1 = state[s + 6];
    double u2 = state[s + 7];
    double sum = 0;
    double sumB = 0;
    int start = 0;
    if (s1 == 0 && s2 == 0 && t1 == 0 && t2 == 0 && r1 == 0 && r2 == 0 && u1 == 0 && u2 == 0) {
      start = silentRun(src, offset, stride, frames, 2);
    }
    for (int i = start, p = offset + start * stride; i < frames; i++, p += stride) {
      double x = src[p];
      double w = src[p + 1];
      double y = b0 * x + s1;
      double v = b0 * w + r1;
      s1 = b1 * x - a1 * y + s2;
      r1 = b1 * w - a1 * v + r2;
      s2 = b2 * x - a2 * y;
      r2 = b2 * w - a2 * v;
      double z = y + t1;
      double q = v + u1;
      t1 = -2 * y - c1 * z + t2;
      u1 = -2 * v - c1 * q + u2;
      t2 = y - c2 * z;
      u2 = v - c2 * q;
      sum += z * z;
      sumB += q * q;
    }
    state[s] = flush(s1);
    state[s + 1] = flush(s2);
    state[s + 2] = flush(t1);
    state[s + 3] = flush(t2);
    state[s + 4] = flush(r1);
    state[s + 5] = flush(r2);
    state[s + 6] = flush(u1);
    state[s + 7] = flush(u2);
    energy[0] += sum;
    energy[1] += sumB;
  }

  /**
   * Frames from the start in which the {@code width} channels from {@code offset} are all zero.
   * Filters at rest (every state exactly zero, as after silence: see {@link #flush}) that are fed
   * zeros output zeros and stay at rest, so those frames add exactly nothing to the energy and need
   * no filtering: silence (a muted stem, a stem's gaps, the quiet between tracks) costs a
   * comparison per sample instead of two biquads.
   */
  private static int silentRun(float[] src, int offset, int stride, int frames, int width) {
    int i = 0;
    for (int p = offset; i < frames; i++, p += stride) {
      if (src[p] != 0 || (width == 2 && src[p + 1] != 0)) {
        break;
      }
    }
    return i;
  }

  private static double flush(double v) {
    return Math.abs(v) < 1e-30 ? 0 : v;
  }
}
