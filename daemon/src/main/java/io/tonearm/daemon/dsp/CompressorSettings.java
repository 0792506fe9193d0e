package io.tonearm.daemon.dsp;

/**
 * A feed-forward compressor's parameters (Giannoulis, Massberg and Reiss, "Digital Dynamic Range
 * Compressor Design", JAES 2012): a static curve in dB with a soft knee, a smoothed gain, make-up.
 *
 * @param rms true to detect the level as RMS (10 ms), false for the sample peak
 * @param thresholdDb level where compression starts, dBFS
 * @param ratio input dB over output dB above the threshold, 1 (none) or more
 * @param kneeDb width of the soft knee around the threshold, dB (0 = hard)
 * @param attackMs time constant of a gain reduction, ms
 * @param releaseMs time constant of a gain recovery, ms
 * @param makeupDb gain added after compression, dB
 */
public record CompressorSettings(
    boolean rms,
    double thresholdDb,
    double ratio,
    double kneeDb,
    double attackMs,
    double releaseMs,
    double makeupDb) {

  /** Ratio 1: no effect at any level. */
  public static final CompressorSettings NEUTRAL =
      new CompressorSettings(false, -18, 1, 6, 10, 150, 0);

  /** Ratio and make-up moved {@code t} (0..1) of the way from neutral; the rest kept. */
  public CompressorSettings scaled(double t) {
    return new CompressorSettings(
        rms, thresholdDb, 1 + (ratio - 1) * t, kneeDb, attackMs, releaseMs, makeupDb * t);
  }

  /** The static curve: output level for input level {@code x}, both dB (the paper's equation 4). */
  public double curve(double x) {
    double over = x - thresholdDb;
    if (2 * over < -kneeDb) {
      return x;
    }
    if (2 * Math.abs(over) <= kneeDb && kneeDb > 0) {
      double k = over + kneeDb / 2;
      return x + (1 / ratio - 1) * k * k / (2 * kneeDb);
    }
    return thresholdDb + over / ratio;
  }
}
