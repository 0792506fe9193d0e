package io.tonearm.daemon.audio;

import io.tonearm.daemon.resample.Resampler;

/**
 * One rate conversion on the output thread: from the source to the engine rate, or from the engine
 * rate to one output's rate. A pass-through when both rates are equal (no copy). Made once per
 * ratio change, never per block: {@link #process} and {@link #flush} allocate nothing.
 *
 * <p>Aligned: a fresh (or reset, or flushed) stage drops its filter's ramp-in, the output frames
 * before input frame 0, so that its first output frame is input frame 0 (within half a frame). A
 * start is then not delayed, and a switch to a new stage inserts no time. Later input frames come
 * out after the filter's group delay; the stage counts the frames it took in and gave out, so the
 * output frame at which the next input frame emerges is known exactly ({@link #lead}).
 *
 * <p>A ratio the {@link Resampler} cannot take exactly (its reduced numerator is over 4096, say
 * 44101 to 48000 Hz) or that would need too large a filter (a reduced denominator over 16384) is
 * replaced by the nearest one that fits: the pitch and the clock mapping are then off by a few
 * parts in 10^8 for ordinary rates (1e-5 at worst), instead of the item not playing at all.
 */
final class RateStage {

  /** The Resampler's most filter phases (its reduced output rate). */
  private static final int MAX_PHASES = 4096;

  /**
   * The most input frames per output cycle (the reduced input rate): the filter has 128 taps per
   * phase times this over the phases when it decimates, so this bounds it to 8 MB.
   */
  private static final int MAX_DOWN = 16_384;

  final int inRate;
  final int outRate;
  final int channels;
  private final int maxIn;
  private final Resampler resampler; // null when inRate == outRate
  private final long ratioIn; // the ratio converted: ratioOut / ratioIn, near outRate / inRate
  private final long ratioOut;
  private final float[] buffer;
  private final long rampIn; // raw output frames before input frame 0: dropped
  private long taken;
  private long given; // raw output frames, the dropped ones included

  /** The samples of the last {@link #process} or {@link #flush}: {@code data[offset...]}. */
  float[] data;

  int offset;

  /**
   * @param maxInFrames the most input frames passed to {@link #process} at once
   */
  RateStage(int inRate, int outRate, int channels, int maxInFrames) {
    this.inRate = inRate;
    this.outRate = outRate;
    this.channels = channels;
    this.maxIn = maxInFrames;
    if (inRate == outRate) {
      resampler = null;
      buffer = null;
      ratioIn = 1;
      ratioOut = 1;
      rampIn = 0;
    } else {
      long[] r = ratio(inRate, outRate);
      ratioIn = r[0];
      ratioOut = r[1];
      resampler = new Resampler((int) ratioIn, (int) ratioOut, channels, maxInFrames);
      rampIn = (delayIn() * ratioOut + ratioIn / 2) / ratioIn;
      int most =
          Math.max(
              resampler.maxOutputFrames(maxInFrames),
              resampler.maxOutputFrames((int) resampler.delayInputFrames()));
      buffer = new float[most * channels];
    }
  }

  /**
   * {@code {in, out}}: the exact ratio reduced, or the closest one with {@code out <= 4096} and
   * {@code in <= 16384} (found by trying every numerator: once per ratio change, well under a
   * millisecond).
   */
  static long[] ratio(int inRate, int outRate) {
    long g = gcd(inRate, outRate);
    if (outRate / g <= MAX_PHASES && inRate / g <= MAX_DOWN) {
      return new long[] {inRate / g, outRate / g};
    }
    long bestIn = inRate;
    long bestOut = outRate;
    double want = (double) outRate / inRate;
    double bestErr = Double.MAX_VALUE;
    for (long up = 1; up <= MAX_PHASES; up++) {
      long down = Math.max(1, Math.round(up / want));
      double err = Math.abs((double) up / down - want);
      if (err < bestErr && down <= MAX_DOWN) {
        bestErr = err;
        bestIn = down;
        bestOut = up;
      }
    }
    long h = gcd(bestIn, bestOut);
    return new long[] {bestIn / h, bestOut / h};
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** True when the stage converts (the rates differ). */
  boolean converts() {
    return resampler != null;
  }

  /** The most input frames one {@link #process} call takes. */
  int maxInFrames() {
    return maxIn;
  }

  /**
   * Converts {@code frames} (at most {@link #maxInFrames}) interleaved frames; the result is in
   * {@link #data} from {@link #offset}.
   *
   * @return output frames
   */
  int process(float[] in, int off, int frames) {
    taken += frames;
    if (resampler == null) {
      data = in;
      offset = off;
      given += frames;
      return frames;
    }
    return aligned(resampler.process(in, off, frames, buffer, 0));
  }

  /** Counts {@code n} raw output frames in the buffer and drops what is left of the ramp-in. */
  private int aligned(int n) {
    int drop = (int) Math.max(0, Math.min(n, rampIn - given));
    given += n;
    data = buffer;
    offset = drop * channels;
    return n - drop;
  }

  /**
   * Pushes out what the filter still holds of the input given so far (nothing for a pass-through);
   * the result is in {@link #data} from {@link #offset}. The stage then starts again from silence.
   *
   * @return output frames
   */
  int flush() {
    data = buffer;
    offset = 0;
    if (resampler == null) {
      return 0;
    }
    int n = aligned(resampler.flush(buffer, 0));
    resampler.reset();
    taken = 0;
    given = 0;
    return n;
  }

  /** Forgets all input (after a seek or a stop): the next input starts from silence. */
  /** Forgets the input, unless it already holds none: cheap to call for every skipped block. */
  void resetIfUsed() {
    if (taken != 0 || given != 0) {
      reset();
    }
  }

  void reset() {
    if (resampler != null) {
      resampler.reset();
    }
    taken = 0;
    given = 0;
  }

  /**
   * Output frames from the next one given out until the next input frame taken in emerges: the
   * filter's group delay, less what of it was already given out or dropped. 0 for a pass-through
   * and for a fresh stage.
   */
  long lead() {
    if (resampler == null) {
      return 0;
    }
    // Input frame i emerges at output frame (i + delayIn) * out / in (Resampler's documented
    // linear-phase delay); rounded to the nearest frame.
    long at = ((taken + delayIn()) * ratioOut + ratioIn / 2) / ratioIn;
    return Math.max(0, at - Math.max(given, rampIn));
  }

  private long delayIn() {
    return (long) resampler.delayInputFrames();
  }
}
