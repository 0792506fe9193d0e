package io.tonearm.daemon.analysis;

import io.tonearm.daemon.dsp.TruePeak;

/**
 * Per-channel levels measured block by block: sample peak and true peak held with an IEC 60268-10
 * type I return (20 dB in 1.7 s), RMS and the first two channels' correlation and balance as
 * exponential averages with a 300 ms time constant (applied per block, so a block's samples share
 * one weight). Not thread-safe: the output thread owns it.
 */
final class LevelMeter {

  private static final double FALL_DB_PER_S = 20 / 1.7;
  private static final double RMS_TAU_S = 0.3;

  private final int channels;
  private final int sampleRate;
  private final TruePeak truePeak;
  private final boolean correlation;
  final double[] samplePeak;
  final double[] truePeakHeld;
  final double[] truePeakMax;
  final double[] meanSquare;
  private double ll;
  private double rr;
  private double lr;

  /** Levels with the first two channels' correlation and balance. */
  LevelMeter(int sampleRate, int channels) {
    this(sampleRate, channels, true);
  }

  /**
   * @param correlation whether to measure the first two channels' correlation and balance (a pass
   *     over the block of its own); without, {@link #correlation} and {@link #balance} are 0
   */
  LevelMeter(int sampleRate, int channels, boolean correlation) {
    this.correlation = correlation;
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.truePeak = new TruePeak(sampleRate, channels);
    samplePeak = new double[channels];
    truePeakHeld = new double[channels];
    truePeakMax = new double[channels];
    meanSquare = new double[channels];
  }

  void accept(float[] src, int offset, int frames) {
    if (frames <= 0) {
      return;
    }
    double fall = Math.pow(10, -FALL_DB_PER_S * frames / sampleRate / 20);
    double keep = Math.exp(-frames / (RMS_TAU_S * sampleRate));
    for (int c = 0; c < channels; c++) {
      // Only a true peak above the falling hold (and so above the max) changes anything. The
      // true-peak search reads the channel once and gives its sample peak and squares too.
      double held = truePeakHeld[c] * fall;
      float above = truePeak.peakAbove(src, offset + c, channels, frames, c, held);
      float peak = truePeak.blockPeak();
      double sq = truePeak.blockSquares();
      samplePeak[c] = Math.max(peak, samplePeak[c] * fall);
      meanSquare[c] = keep * meanSquare[c] + (1 - keep) * (sq / frames);
      float tp = Math.max(peak, above);
      truePeakHeld[c] = Math.max(tp, held);
      truePeakMax[c] = Math.max(tp, truePeakMax[c]);
    }
    if (correlation && channels >= 2) {
      double sll = 0;
      double srr = 0;
      double slr = 0;
      for (int i = 0, p = offset; i < frames; i++, p += channels) {
        double l = src[p];
        double r = src[p + 1];
        sll += l * l;
        srr += r * r;
        slr += l * r;
      }
      ll = keep * ll + (1 - keep) * sll / frames;
      rr = keep * rr + (1 - keep) * srr / frames;
      lr = keep * lr + (1 - keep) * slr / frames;
    }
  }

  /** Correlation of channels 0 and 1, -1..1; 0 for mono or near silence. */
  double correlation() {
    double d = Math.sqrt(ll * rr);
    return d < 1e-12 ? 0 : Math.max(-1, Math.min(1, lr / d));
  }

  /** Balance of channels 0 and 1 from their RMS, -1 (left) .. +1 (right); 0 for mono or silence. */
  double balance() {
    double l = Math.sqrt(ll);
    double r = Math.sqrt(rr);
    return l + r < 1e-9 ? 0 : (r - l) / (r + l);
  }

  /** Highest true peak of all channels since the last reset (linear). */
  double maxTruePeak() {
    double m = 0;
    for (double v : truePeakMax) {
      m = Math.max(m, v);
    }
    return m;
  }

  int channels() {
    return channels;
  }

  void reset() {
    truePeak.reset();
    java.util.Arrays.fill(samplePeak, 0);
    java.util.Arrays.fill(truePeakHeld, 0);
    java.util.Arrays.fill(truePeakMax, 0);
    java.util.Arrays.fill(meanSquare, 0);
    ll = 0;
    rr = 0;
    lr = 0;
  }
}
