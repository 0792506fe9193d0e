package io.tonearm.daemon.analysis;

import io.tonearm.daemon.dsp.KWeighting;

/**
 * EBU R128 loudness of one stream (ITU-R BS.1770-4, EBU Tech 3341 and 3342): momentary (400 ms),
 * short-term (3 s), integrated (gated at -70 LUFS and -10 LU) and loudness range (short-term values
 * every 100 ms, gated at -70 LUFS and -20 LU, 10th to 95th percentile).
 *
 * <p>Energy is summed per 100 ms hop; momentary blocks are the last 4 hops (75 % overlap, as
 * BS.1770-4 prescribes for gating blocks), short-term the last 30. Channel weights follow BS.1770-4
 * table 4: 1.0 for front channels, 1.41 for surrounds, 0 for the LFE, assuming WAVE channel order
 * (L R C LFE Ls Rs ...). Not thread-safe: one owner thread feeds it and reads it.
 */
public final class LoudnessMeter {

  /** Channels supported, as {@code decode.AudioFormat} allows. */
  static final int MAX_CHANNELS = 8;

  private static final int SHORT_TERM_HOPS = 30;
  private static final int MOMENTARY_HOPS = 4;

  private final int sampleRate;
  private final int channels;
  private final double[] weights;
  private final int hopFrames;
  private final KWeighting filter;
  private final double[] hops = new double[SHORT_TERM_HOPS]; // ring of hop mean energies
  private final double[] pair = new double[2]; // two channels' energies from one filter pass
  private final LoudnessHistogram gating = new LoudnessHistogram();
  private final LoudnessHistogram shortTerm = new LoudnessHistogram();
  private long hopCount;
  private int hopFill;
  private double hopEnergy;
  private java.util.function.DoubleConsumer onHop; // see onHop(); null for none
  private double maxMomentary = Double.NEGATIVE_INFINITY;

  /** A meter for {@code channels} channels at {@code sampleRate} Hz. */
  public LoudnessMeter(int sampleRate, int channels) {
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException("channels must be 1.." + MAX_CHANNELS + ": " + channels);
    }
    if (sampleRate < 8000 || sampleRate > 768_000) {
      throw new IllegalArgumentException("sample rate must be 8000..768000 Hz: " + sampleRate);
    }
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.weights = channelWeights(channels);
    this.hopFrames = (int) Math.round(sampleRate / 10.0);
    this.filter = new KWeighting(sampleRate, channels);
  }

  /** BS.1770-4 weights for a channel count, in WAVE order. */
  static double[] channelWeights(int channels) {
    double[] w = new double[channels];
    for (int c = 0; c < channels; c++) {
      if (channels == 4) {
        w[c] = c < 2 ? 1.0 : 1.41; // quad: L R Ls Rs
      } else if (channels == 5) {
        w[c] = c < 3 ? 1.0 : 1.41; // 5.0: L R C Ls Rs
      } else if (channels >= 6) {
        w[c] = c < 3 ? 1.0 : c == 3 ? 0.0 : 1.41; // 5.1, 6.1, 7.1: L R C LFE then surrounds
      } else {
        w[c] = 1.0;
      }
    }
    return w;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  /**
   * Measures {@code frames} interleaved frames from {@code src} at {@code offset} (in samples). The
   * samples must be finite (the tap sanitises them).
   */
  public void accept(float[] src, int offset, int frames) {
    int done = 0;
    while (done < frames) {
      int n = Math.min(frames - done, hopFrames - hopFill);
      int at = offset + done * channels;
      int c = 0;
      for (; c + 1 < channels; c += 2) {
        pair[0] = 0;
        pair[1] = 0;
        filter.filterEnergyPair(src, at + c, channels, n, c, pair);
        hopEnergy += weights[c] * pair[0];
        hopEnergy += weights[c + 1] * pair[1];
      }
      for (; c < channels; c++) {
        double e = filter.filterEnergy(src, at + c, channels, n, c);
        hopEnergy += weights[c] * e;
      }
      hopFill += n;
      done += n;
      if (hopFill == hopFrames) {
        endHop();
      }
    }
  }

  /**
   * Called with {@link #momentary} at the end of every 100 ms hop, on the thread that feeds the
   * meter (a MixRamp profile follows the analysis's meter instead of K-weighting the track again);
   * null for none.
   */
  public void onHop(java.util.function.DoubleConsumer listener) {
    this.onHop = listener;
  }

  private void endHop() {
    hops[(int) (hopCount % SHORT_TERM_HOPS)] = hopEnergy / hopFrames;
    hopCount++;
    hopFill = 0;
    hopEnergy = 0;
    if (hopCount >= MOMENTARY_HOPS) {
      double m = windowEnergy(MOMENTARY_HOPS);
      gating.add(m);
      maxMomentary = Math.max(maxMomentary, Loudness.lufs(m));
    }
    if (hopCount >= SHORT_TERM_HOPS) {
      shortTerm.add(windowEnergy(SHORT_TERM_HOPS));
    }
    if (onHop != null) {
      onHop.accept(momentary());
    }
  }

  private double windowEnergy(int n) {
    int k = (int) Math.min(n, hopCount);
    if (k == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 1; i <= k; i++) {
      sum += hops[(int) ((hopCount - i) % SHORT_TERM_HOPS)];
    }
    return sum / n;
  }

  /** Momentary loudness (last 400 ms) in LUFS; -Infinity before 400 ms or in silence. */
  public double momentary() {
    return hopCount < MOMENTARY_HOPS
        ? Double.NEGATIVE_INFINITY
        : lufs(windowEnergy(MOMENTARY_HOPS));
  }

  /** Short-term loudness (last 3 s; less at the start, counted as silence) in LUFS. */
  public double shortTerm() {
    return lufs(windowEnergy(SHORT_TERM_HOPS));
  }

  /**
   * Integrated loudness since the start or the last reset, in LUFS; -Infinity when all is gated.
   */
  public double integrated() {
    return gating.gatedLoudness(-10);
  }

  /** Loudness range (EBU Tech 3342) in LU. */
  public double loudnessRange() {
    return shortTerm.range(-20);
  }

  /** Highest momentary loudness since the start or the last reset, in LUFS. */
  public double maxMomentary() {
    return maxMomentary;
  }

  /** The gating blocks measured so far (for album loudness); live, not a copy. */
  public LoudnessHistogram gatingBlocks() {
    return gating;
  }

  /** The short-term values measured so far (for album loudness range); live, not a copy. */
  public LoudnessHistogram shortTermValues() {
    return shortTerm;
  }

  /** Forgets everything measured: a new programme starts. */
  public void reset() {
    filter.reset();
    java.util.Arrays.fill(hops, 0);
    gating.clear();
    shortTerm.clear();
    hopCount = 0;
    hopFill = 0;
    hopEnergy = 0;
    maxMomentary = Double.NEGATIVE_INFINITY;
  }

  private static double lufs(double energy) {
    return energy <= 0 ? Double.NEGATIVE_INFINITY : Loudness.lufs(energy);
  }
}
