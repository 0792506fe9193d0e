package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.SpectrumWindow;
import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * The windowed FFT of the played ring (powers, and magnitudes when asked), computed at most once
 * per (size, window, channel) and tick however many views use them. Plans, windows and buffers are
 * made the first time a key is seen and kept. Ticker thread only.
 */
final class FftBank {

  private final PlayedRing ring;
  private final Map<Long, Entry> entries = new HashMap<>();
  private final Map<Integer, FloatFFT_1D> plans = new HashMap<>();

  FftBank(PlayedRing ring) {
    this.ring = ring;
  }

  /**
   * The raw transform (powers, magnitudes), k = 0..size/2, of a (size, window, channel) key: one
   * entry per key, made the first time the key is seen and never replaced, so a view keeps it and
   * calls {@link Entry#at} at each tick instead of looking it up (a boxed key and a hash lookup per
   * view and tick).
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
    private final float[] buf;

    /** |X[k]|^2 for k = 0..n/2 (windowed, unscaled). */
    final float[] power;

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
      buf = new float[n];
      power = new float[n / 2 + 1];
      mag = new float[n / 2 + 1];
    }

    int size() {
      return buf.length;
    }

    /**
     * |X[k]| for k = 0..n/2 (windowed, unscaled), taken from {@link #power} at the first call after
     * a transform: only views that need amplitudes (the AnalyserNode's) pay the square roots; the
     * dBFS views work on powers.
     */
    float[] magnitudes() {
      if (!magFresh) {
        for (int k = 0; k < mag.length; k++) {
          mag[k] = (float) Math.sqrt(power[k]);
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
      int n = buf.length;
      ring.copy(channel, end, n, buf);
      float[] w = window.w;
      for (int i = 0; i < n; i++) {
        buf[i] *= w[i];
      }
      plan.realForward(buf);
      // realForward packs Re[0], Re[n/2], then Re[k], Im[k] for 0 < k < n/2.
      power[0] = buf[0] * buf[0];
      power[n / 2] = buf[1] * buf[1];
      for (int k = 1; k < n / 2; k++) {
        float re = buf[2 * k];
        float im = buf[2 * k + 1];
        power[k] = re * re + im * im;
      }
      magFresh = false;
      this.end = end;
    }
  }
}
