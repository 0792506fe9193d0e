package io.tonearm.daemon.dsp;

/**
 * One equaliser band.
 *
 * @param type its shape
 * @param frequencyHz centre or corner frequency, Hz; at an engine rate whose Nyquist is lower the
 *     band acts at 0.45 of the rate
 * @param gainDb gain of peaking and shelf bands, dB (ignored by the passes)
 * @param q quality factor, above 0
 */
public record EqBand(FilterType type, double frequencyHz, double gainDb, double q) {

  /** This band moved {@code t} (0..1) of the way from neutral (0 dB; the passes: open). */
  public EqBand scaled(double t) {
    if (type.hasGain()) {
      return new EqBand(type, frequencyHz, gainDb * t, q);
    }
    double open = type == FilterType.LOW_PASS ? 24_000 : 5;
    return new EqBand(type, open * Math.pow(frequencyHz / open, t), 0, q);
  }
}
