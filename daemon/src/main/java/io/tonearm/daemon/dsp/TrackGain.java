package io.tonearm.daemon.dsp;

/**
 * A track's ReplayGain 2.0 values: gains in dB, peaks in linear full scale (1.0 = 0 dBFS); {@link
 * Double#NaN} when the file has no such tag and no analysis result exists. Immutable.
 */
public record TrackGain(
    double trackGainDb, double trackPeak, double albumGainDb, double albumPeak) {
  /** No values known. */
  public static final TrackGain NONE =
      new TrackGain(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
}
