package io.tonearm.daemon.audio;

/**
 * What the engine reports to the player. Called on the decoder or output thread: implementations
 * must hand the report to their own thread and return at once.
 */
public interface EngineListener {

  /**
   * The decoder finished {@code from} and went on to the primed {@code to} without a gap (decoder
   * thread). The player should now prime the play after {@code to} with {@link
   * AudioEngine#setNext}.
   */
  void decoderAdvanced(Play from, Play to);

  /** Reading {@code play} failed mid-stream; it is treated as ended (decoder thread). */
  void playFailed(Play play, String reason);

  /**
   * The decoder of {@code play} got past damaged data ({@code what}: which span, played as silence)
   * and goes on (decoder thread).
   */
  default void playDamaged(Play play, String what) {}

  /**
   * The first frame of {@code play} (frame {@code itemFrame} of its item) was heard at {@code
   * heardMicros}, server wall clock (output thread).
   */
  void playStarted(Play play, long itemFrame, long heardMicros);

  /** Every frame of generation {@code generation} has been heard and nothing follows (output). */
  void endOfStream(long generation);

  /** An output failed to open or write and was set aside (output thread). */
  void outputFailed(String outputId, String reason);

  /**
   * Outputs were opened or closed, or the clock moved to another output (output thread), after a
   * format change, an output set change or a failure. Reported once per such step, after it.
   */
  default void outputsChanged() {}
}
