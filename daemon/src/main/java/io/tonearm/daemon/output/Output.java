package io.tonearm.daemon.output;

/**
 * One destination for played PCM.
 *
 * <p>Threading: {@link #open}, {@link #write}, {@link #pause}, {@link #resume}, {@link #flush},
 * {@link #drain} and {@link #close} are called only by the engine's output thread. The clock
 * methods ({@link #framesWritten}, {@link #framesPlayed}, {@link #latencyMicros}) may be called
 * from any thread at any time, must not block or lock, and must not allocate.
 *
 * <p>Units: frames are one sample per channel; counters start at 0 on {@link #open} and never go
 * back while the output stays open.
 */
public interface Output {

  /** Stable short id used in URLs and events, e.g. {@code "null"}, {@code "javasound"}. */
  String id();

  /** Human-readable description, e.g. the device name. */
  String description();

  /**
   * True when {@link #write} blocks at the real-time rate (a device, or the null sink), so that
   * this output can drive the playback clock. Unpaced outputs (recorder, stream) accept at once.
   */
  boolean paced();

  /**
   * The rate this output opens at when the engine asks for {@code sampleRate} (the source's rate,
   * or the configured output rate): the rate itself when the output can take it (the default), else
   * the supported rate closest in spirit. The engine resamples to whatever is returned and then
   * calls {@link #open} with it. Called on the output thread before each open; may take a moment (a
   * device query), never called per block.
   *
   * @param sampleRate frames per second the engine would like to write, positive
   * @param channels channels per frame
   * @return the rate to open at, positive
   */
  default int rateFor(int sampleRate, int channels) {
    return sampleRate;
  }

  /**
   * Opens (or reopens) the output for PCM of this rate and channel count.
   *
   * @throws OutputException when it cannot; the output stays closed
   */
  void open(int sampleRate, int channels) throws OutputException;

  /** True between a successful {@link #open} and {@link #close}. */
  boolean isOpen();

  /**
   * Writes interleaved float samples in [-1, 1]. A paced output blocks until its buffer has room;
   * an unpaced one never blocks.
   *
   * @throws OutputException when the device failed; the output is then closed
   */
  void write(float[] interleaved, int offset, int frames) throws OutputException;

  /**
   * Nanoseconds until {@link #write} can take {@code frames} frames without blocking: 0 when it can
   * now. The output thread sleeps this long (and serves its mail meanwhile) instead of blocking in
   * {@code write}, so an output with a buffer should answer with the time until a good share of it
   * is free, not just {@code frames}: fewer, larger wake-ups. Unpaced outputs, and outputs whose
   * {@code write} does its own waiting, keep the default of 0.
   */
  default long nanosUntilWritable(int frames) {
    return 0;
  }

  /**
   * False when nothing written now would reach anybody (the HTTP stream without listeners): the
   * engine may then skip work done only for this output, such as converting its sample rate, and
   * not call {@link #write} at all. Paced outputs must keep the default. Any thread; cheap.
   */
  default boolean listened() {
    return true;
  }

  /** Stops the clock, keeping what is buffered. */
  void pause();

  /** Restarts the clock after {@link #pause}. */
  void resume();

  /** Discards what was written but not yet played; afterwards played equals written. */
  void flush();

  /** Blocks until every written frame has been played. */
  void drain();

  /** Releases the device; safe to call when not open. */
  void close();

  /** Frames accepted by {@link #write} since {@link #open}. */
  long framesWritten();

  /** Frames heard since {@link #open}: never more than {@link #framesWritten}. */
  long framesPlayed();

  /** Microseconds from now until a frame written now is heard. */
  long latencyMicros();
}
