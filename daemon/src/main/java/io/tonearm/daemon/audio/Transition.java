package io.tonearm.daemon.audio;

/**
 * How the decoder joins one play to the primed play after it. Immutable.
 *
 * @param overlapSeconds how long the end of the first and the start of the second sound together,
 *     in seconds; 0 joins them back to back (gapless). The decoder shortens it to what both items
 *     allow (see {@link AudioEngine#setNext(long, Play, io.tonearm.daemon.decode.Decoder,
 *     Transition)}).
 * @param fade true for an equal-power crossfade over the overlap; false to sum both at full level
 *     (MixRamp: the overlap lies where both are quiet already)
 */
public record Transition(double overlapSeconds, boolean fade) {

  /** The longest overlap, in seconds. */
  public static final double MAX_OVERLAP_SECONDS = 30;

  /** Back to back, no overlap. */
  public static final Transition GAPLESS = new Transition(0, true);

  public Transition {
    if (!(overlapSeconds >= 0 && overlapSeconds <= MAX_OVERLAP_SECONDS)) {
      throw new IllegalArgumentException("overlap must be 0 to 30 seconds: " + overlapSeconds);
    }
  }
}
