package io.tonearm.daemon.dsp;

import io.tonearm.daemon.decode.StemLayout;

/**
 * Sees exactly the samples that are sent to the output, after all DSP (volume, gain), each block
 * stamped with the time it will be heard. The analysis stage implements it; the output thread calls
 * it.
 *
 * <p>Called on the output thread: must not block, lock against other threads, or allocate.
 */
public interface PcmTap {

  /**
   * One block as written to the output.
   *
   * @param interleaved float samples in [-1, 1], interleaved by channel
   * @param offset index of the first sample of the block
   * @param frames frames in the block
   * @param channels channels per frame
   * @param sampleRate frames per second of the block
   * @param presentationMicros server wall-clock time (microseconds since the Unix epoch) at which
   *     the first frame of the block is heard: the output clock plus its latency
   */
  void accept(
      float[] interleaved,
      int offset,
      int frames,
      int channels,
      int sampleRate,
      long presentationMicros);

  /**
   * The stream of samples broke: a seek, a stop, or a new item that is not gapless with the last.
   * The outputs dropped what they held at {@code nowMicros} (server wall clock): samples given to
   * {@link #accept} and not heard by then never will be. Meters that reset per track reset on
   * {@link #trackChanged}, not here.
   */
  default void discontinuity(long nowMicros) {}

  /**
   * The outputs paused at {@code nowMicros}: nothing is heard until {@link #resume}, and the
   * samples they hold are heard after it, later by the length of the pause.
   */
  default void pause(long nowMicros) {}

  /** The outputs resumed at {@code nowMicros}. */
  default void resume(long nowMicros) {}

  /**
   * The player stopped: buffers kept for played audio may be dropped (and made again at the next
   * {@link #accept}); what was played before reads as silence. Called on the output thread, after
   * the last block of the stopped stream.
   */
  default void release() {}

  /** A new queue item became audible (gapless or not), at {@code presentationMicros}. */
  default void trackChanged(String itemId, long presentationMicros) {}

  /**
   * True when {@link #mixed} should get the stems one by one (someone watches the per-stem meters):
   * the mixer then also copies each stem as it enters the mix. Output thread; cheap.
   */
  default boolean wantsStems() {
    return false;
  }

  /**
   * One block as the {@link StemMixer} made it, at the item's rate, before the rate conversion, the
   * enhancement chain and the volume; called before the block goes on to them.
   *
   * @param heard when {@link #wantsStems} was true and the block is a stem set's: stem {@code s}'s
   *     interleaved stereo frames, after its strip and role volume, at {@code s * 2 * frames}; else
   *     null. The tap may overwrite it.
   * @param layout the stem set's stems, null for an ordinary track
   * @param mix the mixer's output, {@code channels} interleaved per frame from {@code mixOffset};
   *     read only
   * @param presentationMicros when the block's first frame is heard (server wall clock), after the
   *     rate conversion's and the chain's delays
   */
  default void mixed(
      float[] heard,
      StemLayout layout,
      float[] mix,
      int mixOffset,
      int frames,
      int channels,
      int sampleRate,
      long presentationMicros) {}

  /** A tap that ignores everything. */
  PcmTap NONE = (interleaved, offset, frames, channels, sampleRate, presentationMicros) -> {};
}
