package io.tonearm.daemon.dsp;

/**
 * One step of the output path's chain (volume, equaliser, compressor, limiter...): it changes
 * interleaved float samples in place, block after block, at the engine rate. A chain is a list of
 * stages run by one loop ({@link StageChain}), in the manner of TarsosDSP's processors, with MPD's
 * filter lifecycle (prepare, process, flush by feeding silence, reset).
 *
 * <p>Threading: {@link #prepare}, {@link #process} and {@link #reset} are called on the output
 * thread only; settings a stage takes from other threads it reads through its own volatile fields.
 * {@link #process} must not block, lock or allocate; {@link #prepare} may allocate.
 */
public interface Stage {

  /**
   * The format of the blocks that follow: frames per second and channels per frame. Called before
   * the first block and whenever either changes; the stage starts from silence.
   */
  void prepare(int sampleRate, int channels);

  /**
   * Processes {@code frames} interleaved frames of {@code buf} from index {@code offset}, in place.
   * Samples are nominally in [-1, 1]; a stage may leave them outside (only a limiter bounds them).
   */
  void process(float[] buf, int offset, int frames);

  /**
   * Frames by which the stage delays its input, at the prepared rate; constant between two {@link
   * #prepare} calls so that positions stay true. To play out what a stage holds at the end of the
   * stream, feed it this many frames of silence.
   */
  default int latencyFrames() {
    return 0;
  }

  /** The stream broke (a seek, a stop): forgets every sample seen, keeps the settings. */
  void reset();
}
