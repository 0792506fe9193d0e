package io.tonearm.daemon.audio;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.Stage;
import io.tonearm.daemon.dsp.StageChain;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.output.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decoder thread, the pipe and the output thread, driven by one owner (the player thread).
 * Every method except {@link #clock} must be called from that owner; none of them blocks on audio,
 * except that {@link #setPaused} returns a future completed once the output really stopped.
 */
public final class AudioEngine implements AutoCloseable {

  /** 100 blocks of 20 ms: the decoder runs up to two seconds ahead of the output. */
  public static final int PIPE_BLOCKS = 100;

  private final AtomicLong generation = new AtomicLong();
  private final PlaybackClock clock = new PlaybackClock();
  private final VolumeRamp volume;
  private final BlockPipe pipe = new BlockPipe(PIPE_BLOCKS);
  private final DecodeLoop decodeLoop;
  private final OutputLoop outputLoop;
  private final Thread decodeThread;
  private final Thread outputThread;
  private final PcmTap tap;

  /** An engine whose outputs follow the source rate (as far as each output can). */
  public AudioEngine(PcmTap tap, EngineListener listener, float initialGain) {
    this(tap, listener, initialGain, 0);
  }

  /**
   * @param outputRate the rate every output is asked to open at (frames per second; an output that
   *     cannot takes the rate it prefers, see {@link Output#rateFor}), or 0 to ask for each item's
   *     own rate. Items of another rate are resampled.
   */
  public AudioEngine(PcmTap tap, EngineListener listener, float initialGain, int outputRate) {
    this(tap, listener, initialGain, outputRate, List.of());
  }

  /**
   * @param stages the processing every block passes before the software volume, in order (the
   *     enhancement chain); their latency is compensated in positions and presentation times
   */
  public AudioEngine(
      PcmTap tap, EngineListener listener, float initialGain, int outputRate, List<Stage> stages) {
    this(tap, listener, initialGain, outputRate, stages, new StemMixer());
  }

  /**
   * @param mixer mixes stem sets to stereo and reduces vocals of stereo tracks, before everything
   *     else on the output thread (see {@link StemMixer})
   */
  public AudioEngine(
      PcmTap tap,
      EngineListener listener,
      float initialGain,
      int outputRate,
      List<Stage> stages,
      StemMixer mixer) {
    if (outputRate < 0) {
      throw new IllegalArgumentException("outputRate must be 0 or positive");
    }
    this.tap = tap;
    volume = new VolumeRamp(initialGain);
    List<Stage> path = new ArrayList<>(stages);
    path.add(volume);
    decodeLoop = new DecodeLoop(pipe, listener);
    outputLoop =
        new OutputLoop(
            pipe,
            generation,
            clock,
            volume,
            mixer,
            new StageChain(path),
            tap,
            listener,
            outputRate);
    decodeThread = new Thread(decodeLoop, "tonearm-decoder");
    outputThread = new Thread(outputLoop, "tonearm-output");
    decodeThread.setDaemon(true);
    outputThread.setDaemon(true);
    outputThread.setPriority(Thread.MAX_PRIORITY);
  }

  public void start() {
    decodeThread.start();
    outputThread.start();
  }

  /** The clock positions are read from; any thread. */
  public PlaybackClock clock() {
    return clock;
  }

  /**
   * Plays {@code play} from {@code startFrame}, dropping everything queued or buffered before. The
   * engine owns {@code decoder} from now on. Pausing is kept: a load while paused stays paused.
   */
  public void load(Play play, Decoder decoder, long startFrame) {
    long gen = generation.incrementAndGet();
    clock.anchor.set(
        new PlaybackClock.Anchor(
            gen,
            play,
            -1,
            startFrame,
            decoder.format().sampleRate(),
            decoder.format().sampleRate(),
            null));
    decodeLoop.load(gen, play, decoder, startFrame);
    outputLoop.wake();
  }

  /**
   * Says what follows {@code afterPlayId} once it ends: {@code next} read from {@code decoder}
   * (primed now, so the switch is gapless), or nothing when both are null. Ignored (and the decoder
   * closed) when the decoder thread has already left {@code afterPlayId}.
   */
  public void setNext(long afterPlayId, Play next, Decoder decoder) {
    setNext(afterPlayId, next, decoder, Transition.GAPLESS);
  }

  /**
   * As {@link #setNext(long, Play, Decoder)}, joined by {@code transition}: with an overlap, the
   * next play starts (and is reported heard, frame 0) that long before {@code afterPlayId} ends,
   * the two mixed. The overlap is shortened to half of the shorter item and needs both lengths
   * known and the same rate and channels, else the join is gapless. A load, stop or seek during the
   * overlap ends it at once.
   */
  public void setNext(long afterPlayId, Play next, Decoder decoder, Transition transition) {
    decodeLoop.next(afterPlayId, next, decoder, transition);
  }

  /** Stops and forgets everything; the outputs drop what they buffered. */
  public void stop() {
    long gen = generation.incrementAndGet();
    clock.anchor.set(null);
    decodeLoop.stop(gen);
    outputLoop.wake();
  }

  /**
   * Drops the decoded audio a stopped engine still keeps: the pipe's blocks (once the output thread
   * has drained them, within about a second) and the tap's buffers. They are made again by the next
   * {@link #load}. Call after {@link #stop}.
   */
  public void releaseBuffers() {
    decodeLoop.release();
    outputLoop.execute(tap::release); // after the block being played, if any: none follows
  }

  /** Pipe slots that hold a block now (of {@link #PIPE_BLOCKS}); any thread, for tests. */
  public int blocksHeld() {
    return pipe.blocksHeld();
  }

  /** Blocks decoded and not yet taken by the output thread; any thread, for tests. */
  int blocksQueued() {
    return pipe.size();
  }

  /** The generation of the current load or stop, as {@link EngineListener#endOfStream} reports. */
  public long generation() {
    return generation.get();
  }

  /** Pauses or resumes the output; the future completes once the output thread has done it. */
  public CompletableFuture<Void> setPaused(boolean paused) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    outputLoop.execute(
        () -> {
          outputLoop.setPaused(paused);
          done.complete(null);
        });
    return done;
  }

  /** The enabled outputs, in order; the first paced one that opens is the clock. */
  public CompletableFuture<Void> setOutputs(List<Output> outputs) {
    List<Output> copy = List.copyOf(outputs);
    CompletableFuture<Void> done = new CompletableFuture<>();
    outputLoop.execute(
        () -> {
          outputLoop.setOutputs(copy);
          done.complete(null);
        });
    return done;
  }

  /** The output the clock is read from now, or null before anything played; any thread. */
  public Output clockOutput() {
    return outputLoop.clockOutput();
  }

  /** Blocks of decoded audio waiting in the pipe (of {@link #PIPE_BLOCKS}), for /metrics. */
  public int pipeBlocks() {
    return pipe.size();
  }

  /** Sets the software gain (linear amplitude); ramps there without a step. Any thread. */
  public void setGain(float gain) {
    volume.setTarget(gain);
  }

  @Override
  public void close() {
    decodeLoop.close();
    outputLoop.close();
    try {
      decodeThread.join(2000);
      outputThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
