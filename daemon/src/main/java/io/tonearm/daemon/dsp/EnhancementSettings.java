package io.tonearm.daemon.dsp;

import java.util.List;

/**
 * Everything the enhancement chain does, as one immutable value: the chain reads a new value
 * between two blocks and ramps to it. Ranges are checked where settings enter the daemon (the
 * settings commands), not here.
 *
 * @param enabled false: the chain is bypassed (its latency is kept, its output is the input
 *     delayed, bit for bit)
 * @param inputGainDb gain before the equaliser, dB
 * @param bands up to {@link #MAX_BANDS} equaliser bands, in order
 * @param compressor the compressor; ratio 1 leaves it out
 * @param width stereo width: 0 mono, 1 as is, up to 2 (side doubled); only for two channels
 * @param limiter true to limit the true peak to {@code ceilingDbtp}; false passes samples through
 * @param ceilingDbtp the limiter's ceiling, dBTP (0 or less)
 * @param limiterReleaseMs the limiter's recovery time constant, ms
 * @param outputGainDb gain after the limiter, dB (0 or less, so the ceiling holds)
 */
public record EnhancementSettings(
    boolean enabled,
    double inputGainDb,
    List<EqBand> bands,
    CompressorSettings compressor,
    double width,
    boolean limiter,
    double ceilingDbtp,
    double limiterReleaseMs,
    double outputGainDb) {

  /** At most this many equaliser bands. */
  public static final int MAX_BANDS = 10;

  /** Off, and neutral in every stage. */
  public static final EnhancementSettings NEUTRAL =
      new EnhancementSettings(false, 0, List.of(), CompressorSettings.NEUTRAL, 1, true, -1, 50, 0);

  public EnhancementSettings {
    bands = List.copyOf(bands);
  }

  /**
   * Every parameter moved {@code t} (0..1) of the way from neutral toward this value: gains and
   * widths linearly in dB, frequencies of the passes geometrically, the compressor's ratio and
   * make-up linearly. The limiter (a safety, not a colour) and the enabled flag are kept.
   */
  public EnhancementSettings scaled(double t) {
    return new EnhancementSettings(
        enabled,
        inputGainDb * t,
        bands.stream().map(b -> b.scaled(t)).toList(),
        compressor.scaled(t),
        1 + (width - 1) * t,
        limiter,
        ceilingDbtp,
        limiterReleaseMs,
        outputGainDb * t);
  }

  /** The same settings, switched on or off. */
  public EnhancementSettings withEnabled(boolean on) {
    return new EnhancementSettings(
        on,
        inputGainDb,
        bands,
        compressor,
        width,
        limiter,
        ceilingDbtp,
        limiterReleaseMs,
        outputGainDb);
  }
}
