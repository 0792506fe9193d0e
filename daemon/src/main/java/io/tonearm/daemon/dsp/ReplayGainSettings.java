package io.tonearm.daemon.dsp;

/**
 * How ReplayGain values become one linear gain per item.
 *
 * @param mode which value to use
 * @param preampDb added to the chosen gain, in dB, -15 to +15
 * @param preventClipping when true the gain is lowered so that the tagged peak stays at or below
 *     full scale
 * @param fallbackDb gain in dB for items without the chosen value (ReplayGain 2.0 suggests a
 *     lowered default for untagged files; 0 leaves them untouched)
 */
public record ReplayGainSettings(
    ReplayGainMode mode, double preampDb, boolean preventClipping, double fallbackDb) {

  public static final ReplayGainSettings DEFAULT =
      new ReplayGainSettings(ReplayGainMode.OFF, 0, true, 0);

  public ReplayGainSettings {
    if (!(preampDb >= -15 && preampDb <= 15) || !(fallbackDb >= -15 && fallbackDb <= 15)) {
      throw new IllegalArgumentException("preamp and fallback must be -15 to 15 dB");
    }
  }

  /**
   * The linear factor for an item with these values. AUTO picks album gain unless {@code shuffled};
   * a missing album value falls back to the track value, then to {@code fallbackDb}.
   */
  public float linearGain(TrackGain rg, boolean shuffled) {
    if (mode == ReplayGainMode.OFF) {
      return 1f;
    }
    boolean album = mode == ReplayGainMode.ALBUM || (mode == ReplayGainMode.AUTO && !shuffled);
    double gainDb = album ? rg.albumGainDb() : rg.trackGainDb();
    double peak = album ? rg.albumPeak() : rg.trackPeak();
    if (Double.isNaN(gainDb) && album) {
      gainDb = rg.trackGainDb();
      peak = rg.trackPeak();
    }
    if (Double.isNaN(gainDb)) {
      return (float) Math.pow(10, fallbackDb / 20);
    }
    double linear = Math.pow(10, (gainDb + preampDb) / 20);
    if (preventClipping && peak > 0 && linear * peak > 1) {
      linear = 1 / peak;
    }
    return (float) linear;
  }
}
