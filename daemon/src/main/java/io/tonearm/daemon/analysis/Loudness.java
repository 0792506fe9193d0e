package io.tonearm.daemon.analysis;

/** Conversions shared by the meters: energy to LUFS, amplitude to dB, and the display floor. */
final class Loudness {

  /** The lowest dB (or LUFS) value a frame carries: silence reads this, never -Infinity. */
  static final float FLOOR_DB = -150f;

  private Loudness() {}

  /** BS.1770-4 loudness of a channel-weighted mean-square energy: -0.691 + 10 log10(energy). */
  static double lufs(double energy) {
    return -0.691 + 10 * Math.log10(energy);
  }

  /** 20 log10(amplitude), floored at {@link #FLOOR_DB}. */
  static float amplitudeDb(double amplitude) {
    return floor(20 * Math.log10(amplitude));
  }

  /** {@code db} as a finite float no lower than {@link #FLOOR_DB}. */
  static float floor(double db) {
    if (!(db > FLOOR_DB)) {
      return FLOOR_DB; // also NaN and -Infinity
    }
    return db > 1000 ? 1000f : (float) db;
  }
}
