package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.SpectrumWindow;
import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * The windowed FFT of the played ring (the transform, and magnitudes when asked), computed at most
 * once per (size, window, channel) and tick however many views use it. Plans, windows and buffers
 * are made the first time a key is seen and kept. Ticker thread only.
 */
final class FftBank {

  private final PlayedRing ring;
  private final Map<Long, Entry> entries = new HashMap<>();
  private final Map<Integer, FloatFFT_1D> plans = new HashMap<>();

  FftBank(PlayedRing ring) {
    this.ring = ring;
  }

  /**
   * The raw transform (bin powers, magnitudes), k = 0..size/2, of a (size, window, channel) key:
   * one entry per key, made the first time the key is seen and never replaced, so a view keeps it
   * and calls {@link Entry#at} at each tick instead of looking it up (a boxed key and a hash lookup
   * per view and tick).
   */
  Entry entry(int size, SpectrumWindow window, ChannelSelect channel) {
    long key = ((long) size << 16) | (window.getNumber() << 8) | channel.getNumber();
    Entry e = entries.get(key);
    if (e == null) {
      FloatFFT_1D plan = plans.computeIfAbsent(size, FloatFFT_1D::new);
      e = new Entry(plan, new Window(window, size), ring, channel);
      entries.put(key, e);
    }
    return e;
  }

  /** One key's plan, window, buffers and latest transform. */
  static final class Entry {
    private final FloatFFT_1D plan;
    final Window window;

    /**
     * The latest transform (windowed, unscaled) as JTransforms packs it: Re[0], Re[n/2], then
     * Re[k], Im[k] for 0 < k < n/2. Views take |X[k]|^2 from it where they read it ({@link #power},
     * or the same products in their own loops) rather than from an array of powers filled for every
     * bin at each transform: that array was written afresh at every tick, and memory written once a
     * tick is memory the caches no longer hold (12 KB a tick for the four views of issue 13, a pass
     * of its own).
     */
    final float[] spectrum;

    private final float[] mag;
    private boolean magFresh;

    private final PlayedRing ring;
    private final ChannelSelect channel;
    private long end = Long.MIN_VALUE;

    Entry(FloatFFT_1D plan, Window window, PlayedRing ring, ChannelSelect channel) {
      this.plan = plan;
      this.window = window;
      this.ring = ring;
      this.channel = channel;
      int n = window.w.length;
      spectrum = new float[n];
      mag = new float[n / 2 + 1];
    }

    int size() {
      return spectrum.length;
    }

    /**
     * |X[k]|^2, k = 0..n/2, from a transform packed as {@link #spectrum} is: the real part squared
     * at DC and Nyquist, re * re + im * im between.
     */
    static float power(float[] x, int k) {
      int half = x.length / 2;
      if (k == 0) {
        return x[0] * x[0];
      }
      if (k == half) {
        return x[1] * x[1];
      }
      float re = x[2 * k];
      float im = x[2 * k + 1];
      return re * re + im * im;
    }

    /**
     * {@code out[k] = |X[k]|^2 * weight[k]} for k = 0..n/2, from a transform packed as {@link
     * #spectrum} is (a linear view's bins): the products in line, not a call per bin.
     */
    static void weightedPowers(float[] x, float[] weight, float[] out) {
      int half = x.length / 2;
      out[0] = x[0] * x[0] * weight[0];
      out[half] = x[1] * x[1] * weight[half];
      for (int k = 1; k < half; k++) {
        float re = x[2 * k];
        float im = x[2 * k + 1];
        out[k] = (re * re + im * im) * weight[k];
      }
    }

    /**
     * The sum of {@code |X[k]|^2 * weight[k]} over k = {@code from..to-1} (within 0..n/2), in
     * double and in rising order, as a sum over an array of powers would add them: DC and Nyquist
     * (packed apart) at the ends, the bins between with their products in line.
     */
    static double weightedPowerSum(float[] x, int from, int to, float[] weight) {
      int half = x.length / 2;
      int k = from;
      double s = 0;
      if (k == 0) {
        s += x[0] * x[0] * weight[0];
        k = 1;
      }
      for (int stop = Math.min(to, half); k < stop; k++) {
        float re = x[2 * k];
        float im = x[2 * k + 1];
        s += (re * re + im * im) * weight[k];
      }
      if (to > half) {
        s += x[1] * x[1] * weight[half];
      }
      return s;
    }

    /**
     * |X[k]| for k = 0..n/2 (windowed, unscaled), taken from the powers at the first call after a
     * transform: only views that need amplitudes (the AnalyserNode's) pay the square roots; the
     * dBFS views work on powers.
     */
    float[] magnitudes() {
      if (!magFresh) {
        for (int k = 0; k < mag.length; k++) {
          mag[k] = (float) Math.sqrt(power(spectrum, k));
        }
        magFresh = true;
      }
      return mag;
    }

    /**
     * This entry with the transform of the window ending at {@code end}, computed unless it is
     * already the latest one (another view of the key asked for it this tick).
     */
    Entry at(long end) {
      if (this.end != end) {
        compute(end);
      }
      return this;
    }

    private void compute(long end) {
      float[] x = spectrum;
      int n = x.length;
      ring.copy(channel, end, n, x);
      float[] w = window.w;
      for (int i = 0; i < n; i++) {
        x[i] *= w[i];
      }
      plan.realForward(x);
      magFresh = false;
      this.end = end;
    }
  }
}
