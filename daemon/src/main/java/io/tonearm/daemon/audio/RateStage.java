package io.tonearm.daemon.audio;

import io.tonearm.daemon.dsp.Resampler;

/**
 * One rate conversion on the output thread: from the source to the engine rate, or from the engine
 * rate to one output's rate. A pass-through when both rates are equal (no copy). Made once per
 * ratio change, never per block: {@link #process} and {@link #flush} allocate nothing.
 *
 * <p>Counts the frames it took in and gave out since the last {@link #reset}, so that the output
 * frame at which a given input frame emerges is known exactly ({@link #lead}).
 */
final class RateStage {

  final int inRate;
  final int outRate;
  final int channels;
  private final int maxIn;
  private final Resampler resampler; // null when inRate == outRate
  private final float[] buffer;
  private long taken;
  private long given;

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
    } else {
      resampler = new Resampler(inRate, outRate, channels, maxInFrames);
      int most =
          Math.max(
              resampler.maxOutputFrames(maxInFrames),
              resampler.maxOutputFrames((int) resampler.delayInputFrames()));
      buffer = new float[most * channels];
    }
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
    int n = resampler.process(in, off, frames, buffer, 0);
    data = buffer;
    offset = 0;
    given += n;
    return n;
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
    int n = resampler.flush(buffer, 0);
    reset();
    return n;
  }

  /** Forgets all input (after a seek or a stop): the next input starts from silence. */
  void reset() {
    if (resampler != null) {
      resampler.reset();
    }
    taken = 0;
    given = 0;
  }

  /**
   * Output frames from the next one given out until the next input frame taken in emerges: the
   * filter's group delay, less what of it was already given out. 0 for a pass-through.
   */
  long lead() {
    if (resampler == null) {
      return 0;
    }
    // Input frame i emerges at output frame (i + delayIn) * out / in (Resampler's documented
    // linear-phase delay); rounded to the nearest frame.
    long delayIn = (long) resampler.delayInputFrames();
    long at = ((taken + delayIn) * outRate + inRate / 2) / inRate;
    return Math.max(0, at - given);
  }
}
