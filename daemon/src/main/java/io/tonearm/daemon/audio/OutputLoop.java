package io.tonearm.daemon.audio;

import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.Stage;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.output.NullOutput;
import io.tonearm.daemon.output.Output;
import io.tonearm.daemon.output.OutputException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output thread: takes blocks from the pipe, mixes stems to stereo (or applies the vocal
 * reduction to a stereo track) with the {@link StemMixer}, converts them to the engine rate,
 * applies volume, shows them to the analysis tap and writes them to every active output, through
 * the output's own conversion when it opened at another rate. The first active paced output is the
 * clock and its rate is the engine rate; when there is none, a private {@link NullOutput} is. It
 * notices when a play's first frame is heard and when the last frame of the stream is, and reports
 * both.
 *
 * <p>Items of another rate are resampled without reopening anything as long as no output's rate
 * changes (say, with a fixed output rate): the old conversion's tail is played, then the new one
 * starts. Only outputs whose own rate or channel count must change are reopened, the clock after
 * playing out what it holds.
 */
final class OutputLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(OutputLoop.class);

  private static final int MAX_BOUNDARIES = 256;
  private static final int MAX_OUTPUTS = 32;

  /** Engine frames converted for one output at once: bounds each output conversion's buffer. */
  private static final int CHUNK_FRAMES = 4096;

  /** The longest sleep: mail, blocks and the clock wake the thread earlier; this is a backstop. */
  private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

  private final BlockPipe pipe;
  private final AtomicLong generation;
  private final PlaybackClock clockView;
  private final VolumeRamp volume;
  private final StemMixer mixer; // first, at the item's rate: stems to stereo, vocal reduction
  private final Stage chain; // every stage the samples pass before the tap, volume last
  private final PcmTap tap;
  private float[] stemCopies = new float[0]; // each stem as it enters the mix, for the stem meters
  private final EngineListener listener;
  private final int outputRate;
  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final NullOutput fallback = new NullOutput("fallback");
  private volatile boolean closed;
  private volatile Output clockOutput;

  private List<Output> wanted = List.of();
  private final Output[] active = new Output[MAX_OUTPUTS];
  private final int[] activeRate = new int[MAX_OUTPUTS];
  private final RateStage[] activeStage = new RateStage[MAX_OUTPUTS]; // engine rate -> its rate
  private int activeCount;
  private Output clock;
  private int clockRate;
  private int fallbackRate;
  private RateStage source; // the item's rate -> the engine rate
  private RateStage spareSource; // the one before, kept for reuse
  private int sourceRate;
  private int openRate; // the engine rate: volume, tap and clock run at it
  private int openChannels;
  private int chainRate; // the format the chain was prepared for
  private int chainChannels;
  private int chainLatencySeen; // the chain's latency when positions were last told about it
  private float[] silence = new float[0]; // fed to the chain to play out what it holds
  private boolean paused;
  private long seenGeneration;
  private final Play[] boundaryPlay = new Play[MAX_BOUNDARIES];
  private final long[] boundaryAt = new long[MAX_BOUNDARIES];
  private final long[] boundaryItemFrame = new long[MAX_BOUNDARIES];
  private final int[] boundaryRate = new int[MAX_BOUNDARIES];
  private int boundaryHead;
  private int boundaryCount;
  private boolean endPending;
  private PcmBlock playing; // the block play() is working on, for survive()
  private long failedGeneration = -1; // the last generation survive() reported
  private int survivedOutsideBlocks; // defects outside a block (only the first is logged)
  private boolean gainJumpPending;
  private long endAt;

  /**
   * @param chain the stages every block passes, in order, before the tap and the outputs; it holds
   *     {@code volume}
   * @param outputRate the rate every output is asked to open at, or 0 to follow the source
   */
  OutputLoop(
      BlockPipe pipe,
      AtomicLong generation,
      PlaybackClock clockView,
      VolumeRamp volume,
      StemMixer mixer,
      Stage chain,
      PcmTap tap,
      EngineListener listener,
      int outputRate) {
    this.pipe = pipe;
    this.generation = generation;
    this.clockView = clockView;
    this.volume = volume;
    this.mixer = mixer;
    this.chain = chain;
    this.tap = tap;
    this.listener = listener;
    this.outputRate = outputRate;
  }

  /** Runs {@code task} on the output thread between two blocks. */
  void execute(Runnable task) {
    mailbox.add(task);
    pipe.wakeConsumer();
  }

  /** Makes the output thread look at its state now, e.g. after a new generation; any thread. */
  void wake() {
    pipe.wakeConsumer();
  }

  void close() {
    closed = true;
    pipe.wakeConsumer();
  }

  /** The output the clock is read from now, or null before the first open; any thread. */
  Output clockOutput() {
    return clockOutput;
  }

  /** The rate outputs are asked for: the configured output rate, else the item's. */
  private int wantedRate() {
    return outputRate != 0 ? outputRate : sourceRate;
  }

  /**
   * Output thread: replaces the set of enabled outputs. Outputs that stay enabled are not touched
   * (no click on the device when, say, the stream output is switched on); new ones open at the rate
   * they choose for the current format; the clock moves only when the old clock was removed.
   */
  void setOutputs(List<Output> outputs) {
    wanted = List.copyOf(outputs);
    if (openRate == 0) {
      return; // nothing open yet: the next item opens what is wanted
    }
    Output oldClock = clock;
    long oldWritten = clock.framesWritten();
    int oldRate = clockRate;
    Output[] kept = new Output[MAX_OUTPUTS];
    int[] keptRate = new int[MAX_OUTPUTS];
    RateStage[] keptStage = new RateStage[MAX_OUTPUTS];
    int n = 0;
    for (Output o : wanted) {
      int at = indexOfActive(o);
      if (at >= 0) {
        kept[n] = o;
        keptRate[n] = activeRate[at];
        keptStage[n++] = activeStage[at];
        continue;
      }
      try {
        int rate = o.rateFor(wantedRate(), openChannels);
        o.open(rate, openChannels);
        if (paused) {
          o.pause();
        }
        kept[n] = o;
        keptRate[n++] = rate; // its conversion is made by retune below
      } catch (OutputException | RuntimeException e) {
        listener.outputFailed(o.id(), e.getMessage());
      }
    }
    for (int i = 0; i < activeCount; i++) {
      if (!wanted.contains(active[i])) {
        active[i].close();
      }
    }
    install(kept, keptRate, keptStage, n);
    clock = null;
    pickClock();
    if (clock == null) {
      if (oldClock == fallback) {
        useClock(fallback, fallbackRate);
      } else {
        openFallback(openRate);
      }
    } else if (oldClock == fallback) {
      fallback.close();
    }
    if (clock != oldClock) {
      rebase(oldWritten, oldRate);
    }
    retune(clockRate);
    listener.outputsChanged();
  }

  private int indexOfActive(Output o) {
    for (int i = 0; i < activeCount; i++) {
      if (active[i] == o) {
        return i;
      }
    }
    return -1;
  }

  private void install(Output[] outs, int[] rates, RateStage[] stages, int n) {
    System.arraycopy(outs, 0, active, 0, n);
    System.arraycopy(rates, 0, activeRate, 0, n);
    System.arraycopy(stages, 0, activeStage, 0, n);
    Arrays.fill(active, n, MAX_OUTPUTS, null);
    Arrays.fill(activeStage, n, MAX_OUTPUTS, null);
    activeCount = n;
  }

  /** Makes the first active paced output the clock, if there is one. */
  private void pickClock() {
    for (int i = 0; i < activeCount; i++) {
      if (active[i].paced()) {
        useClock(active[i], activeRate[i]);
        return;
      }
    }
  }

  private void useClock(Output o, int rate) {
    clock = o;
    clockRate = rate;
    clockOutput = o;
  }

  private void openFallback(int rate) {
    fallback.open(rate, openChannels);
    fallbackRate = rate;
    if (paused) {
      fallback.pause();
    }
    useClock(fallback, rate);
  }

  /** Output thread: stops or restarts the clock and every output. */
  void setPaused(boolean p) {
    if (p == paused) {
      return;
    }
    paused = p;
    if (p) {
      tap.pause(WallClock.micros());
    } else {
      tap.resume(WallClock.micros());
    }
    for (int i = 0; i < activeCount; i++) {
      if (p) {
        active[i].pause();
      } else {
        active[i].resume();
      }
    }
    if (clock == fallback) {
      if (p) {
        fallback.pause();
      } else {
        fallback.resume();
      }
    }
  }

  @Override
  public void run() {
    pipe.bindConsumer();
    try {
      while (!closed) {
        try {
          step();
        } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
          survive(e);
        }
      }
    } finally {
      for (int i = 0; i < activeCount; i++) {
        active[i].close();
      }
      fallback.close();
    }
  }

  /** One turn of the loop: mail, a new generation, what was heard, then at most one block. */
  private void step() {
    for (Runnable r; (r = mailbox.poll()) != null; ) {
      r.run();
    }
    long gen = generation.get();
    if (gen != seenGeneration) {
      discontinue(gen);
    }
    checkHeard();
    PcmBlock b = pipe.peek();
    if (b != null && b.generation != gen) {
      if (b.generation < gen) {
        pipe.release(); // left over from before a load or stop
      }
      // Else a load came after `gen` was read and its first block is already here: keep it
      // (its START carries the play's boundary) and look at the new generation first.
      return;
    }
    if (paused) {
      if (mailbox.isEmpty() && generation.get() == seenGeneration) {
        LockSupport.parkNanos(this, MAX_SLEEP_NANOS); // mail (resume) wakes us
      }
      return;
    }
    if (b == null) {
      pipe.awaitData(nanosUntilHeard()); // a block, mail, or the next start or end heard
      return;
    }
    long wait = clock == null ? 0 : clock.nanosUntilWritable(b.frames);
    if (wait > 0) {
      if (mailbox.isEmpty() && generation.get() == seenGeneration) {
        LockSupport.parkNanos(this, Math.min(wait, nanosUntilHeard()));
      }
      return;
    }
    playing = b;
    play(b);
    playing = null;
    pipe.release();
  }

  /**
   * A defect of the engine's own code on this thread (an output's failure sets that output aside
   * instead): without this the thread would end and the audio stop for good with the player still
   * saying PLAYING. The block being played is dropped; the first failure of a generation is logged
   * with its stack and told to the player as the play's failure; a dropped END is told as the end
   * of the stream, so that the player moves on. The loop then goes on with the next block.
   */
  private void survive(Throwable e) {
    PcmBlock b = playing;
    playing = null;
    if (b == null) {
      if (survivedOutsideBlocks++ == 0) {
        log.error("output thread: an engine defect outside a block; it goes on", e);
      }
      LockSupport.parkNanos(this, 10_000_000L); // one that repeats costs no more than 1% of a core
      return;
    }
    pipe.release();
    if (b.generation != failedGeneration) {
      failedGeneration = b.generation;
      log.error("output thread: an engine defect while playing item {}", b.play.itemId(), e);
      listener.playFailed(b.play, "internal error in the output thread: " + e);
    }
    if (b.kind == PcmBlock.END) {
      endPending = false;
      listener.endOfStream(b.generation);
    }
  }

  /**
   * How long the thread may sleep before the clock reaches the next play start or the end of the
   * stream, so that both are reported when they are heard (at least 1 ms, at most the backstop).
   */
  private long nanosUntilHeard() {
    if (clock == null || (boundaryCount == 0 && !endPending)) {
      return MAX_SLEEP_NANOS;
    }
    long target = boundaryCount > 0 ? boundaryAt[boundaryHead] : endAt;
    long frames = target - clock.framesPlayed();
    long nanos = frames * 1_000_000_000L / Math.max(1, openRate);
    return Math.max(1_000_000L, Math.min(MAX_SLEEP_NANOS, nanos));
  }

  private void discontinue(long gen) {
    seenGeneration = gen;
    for (int i = 0; i < activeCount; i++) {
      active[i].flush();
      if (activeStage[i] != null) {
        activeStage[i].reset();
      }
    }
    if (clock == fallback) {
      fallback.flush();
    }
    if (source != null) {
      source.reset();
    }
    mixer.reset();
    boundaryCount = 0;
    endPending = false;
    gainJumpPending = true; // at the first block played, so a gain set meanwhile is not ramped to
    if (chainRate != 0) {
      chain.reset(); // a chain never prepared holds nothing
      chainLatencySeen = chain.latencyFrames();
    }
    tap.discontinuity(WallClock.micros());
  }

  private void play(PcmBlock b) {
    if (b.kind == PcmBlock.END) {
      if (clock != null) {
        flushSource(); // the last frames still in the filters are part of the stream
        flushChain();
        for (int i = 0; i < activeCount; i++) {
          writeTail(i);
        }
      }
      endPending = true;
      endAt = clock == null ? 0 : clock.framesWritten();
      return;
    }
    if (b.kind == PcmBlock.START) {
      if (clock == null || b.sampleRate != sourceRate || b.channels != openChannels) {
        if (clock != null) {
          flushSource(); // the previous item's last frames, converted as they were
        }
        reopen(b.sampleRate, b.channels);
      }
      // The item's first frame comes out of the source conversion and the chain after their delay.
      long lead = source.lead() + chainLatency();
      addBoundary(b.play, clock.framesWritten() + lead, b.itemFrame, b.sampleRate);
      long presentation = WallClock.micros() + clock.latencyMicros() + lead * 1_000_000L / openRate;
      tap.trackChanged(b.play.itemId(), presentation);
    }
    int n;
    if (b.stems != null) {
      float[] heard = null;
      if (tap.wantsStems()) {
        int need = 2 * b.frames * b.stems.count();
        if (stemCopies.length < need) {
          stemCopies = new float[need]; // once: the pipe's blocks are at most this large
        }
        heard = stemCopies;
      }
      float[] mixed = mixer.mix(b.samples, 0, b.frames, b.stems, b.sampleRate, heard);
      tap.mixed(heard, b.stems, mixed, 0, b.frames, 2, b.sampleRate, mixerPresentation());
      n = source.process(mixed, 0, b.frames);
    } else {
      mixer.process(b.samples, 0, b.frames, b.channels, b.sampleRate);
      if (tap.wantsStems()) {
        tap.mixed(
            null, null, b.samples, 0, b.frames, b.channels, b.sampleRate, mixerPresentation());
      }
      n = source.process(b.samples, 0, b.frames);
    }
    emit(source.data, source.offset, n);
  }

  /**
   * When the first frame of the block the mixer makes now is heard: after what the outputs hold,
   * the source conversion's and the chain's delays.
   */
  private long mixerPresentation() {
    long lead = source.lead() + chainLatency();
    return WallClock.micros() + clock.latencyMicros() + lead * 1_000_000L / openRate;
  }

  /** Plays what the source conversion still holds of the current item, if anything. */
  private void flushSource() {
    int n = source.flush();
    if (n > 0) {
      emit(source.data, source.offset, n);
    }
  }

  /** The chain's delay in engine frames, preparing it for the engine format first if needed. */
  private int chainLatency() {
    if (chainRate != openRate || chainChannels != openChannels) {
      chain.prepare(openRate, openChannels);
      chainRate = openRate;
      chainChannels = openChannels;
      chainLatencySeen = chain.latencyFrames();
    }
    return chain.latencyFrames();
  }

  /**
   * Plays out what the chain still holds (its latency's worth of frames) by feeding it silence: at
   * the end of the stream, and before the engine format changes.
   */
  private void flushChain() {
    if (chainRate == 0) {
      return;
    }
    int n = chain.latencyFrames() * chainChannels;
    if (n == 0) {
      return;
    }
    if (silence.length < n) {
      silence = new float[n]; // once per latency seen, not per block
    }
    Arrays.fill(silence, 0, n, 0f);
    emit(silence, 0, n / chainChannels);
  }

  /** The chain, tap and every output, for {@code frames} frames at the engine rate. */
  private void emit(float[] data, int offset, int frames) {
    if (frames == 0) {
      return;
    }
    long presentation = WallClock.micros() + clock.latencyMicros();
    if (gainJumpPending) {
      gainJumpPending = false;
      volume.jump();
    }
    chainLatency();
    chain.process(data, offset, frames);
    int latency = chain.latencyFrames();
    if (latency != chainLatencySeen) {
      skipAnchor(latency - chainLatencySeen); // switched on or off: what is heard moved
      chainLatencySeen = latency;
    }
    tap.accept(data, offset, frames, openChannels, openRate, presentation);
    for (int i = 0; i < activeCount; i++) {
      if (!writeTo(i, data, offset, frames)) {
        i--; // set aside: the next output moved into slot i
      }
    }
    if (clock == fallback) {
      fallback.write(data, offset, frames); // paces the stream when no real clock is left
    }
    if (clockRate != openRate) {
      retune(clockRate); // the clock failed over to an output of another rate
    }
  }

  /** Writes to output {@code i} through its conversion; false when it failed and was set aside. */
  private boolean writeTo(int i, float[] data, int offset, int frames) {
    Output o = active[i];
    RateStage s = activeStage[i];
    try {
      if (!s.converts()) {
        o.write(data, offset, frames);
        return true;
      }
      if (!o.listened()) {
        // Nobody would hear the conversion (the stream without listeners): skip it, which saves
        // about 1% of a core at 48 -> 44.1 kHz; the next listener starts from a fresh filter.
        s.resetIfUsed();
        return true;
      }
      for (int at = 0; at < frames; at += CHUNK_FRAMES) {
        int n = s.process(data, offset + at * openChannels, Math.min(CHUNK_FRAMES, frames - at));
        if (n > 0) {
          o.write(s.data, s.offset, n);
        }
      }
      return true;
    } catch (OutputException | RuntimeException e) {
      fail(i, e.getMessage());
      return false;
    }
  }

  /** Plays out what output {@code i}'s conversion still holds; it starts again from silence. */
  private void writeTail(int i) {
    RateStage s = activeStage[i];
    int n = s == null ? 0 : s.flush();
    if (n > 0) {
      try {
        active[i].write(s.data, s.offset, n);
      } catch (OutputException | RuntimeException e) {
        // A broken output fails again at its next write and is set aside there.
      }
    }
  }

  /**
   * A new item of another rate or channel count. When the outputs are asked for the same rate and
   * channels as before, only the source conversion changes: nothing is drained or reopened, the
   * stream goes on. Otherwise every wanted output whose own rate or channel count changes is
   * reopened (the clock first plays out what it holds); the others stay open.
   */
  private void reopen(int rate, int channels) {
    int oldWant = wantedRate();
    sourceRate = rate;
    int want = wantedRate();
    boolean sameChannels = channels == openChannels;
    if (clock != null && want == oldWant && sameChannels) {
      retune(openRate);
      return;
    }
    if (clock != null) {
      flushChain(); // the engine format may change: what the chain holds is played at the old one
    }
    Output oldClock = clock;
    long oldWritten = clock == null ? 0 : clock.framesWritten();
    int oldRate = clockRate;
    if (clock == fallback) {
      fallback.drain();
      checkHeard();
    }
    boolean clockReopened = false;
    Output[] next = new Output[MAX_OUTPUTS];
    int[] nextRate = new int[MAX_OUTPUTS];
    RateStage[] nextStage = new RateStage[MAX_OUTPUTS];
    int n = 0;
    for (Output o : wanted) {
      int at = indexOfActive(o);
      try {
        int target = o.rateFor(want, channels);
        if (at >= 0 && sameChannels && activeRate[at] == target) {
          next[n] = o;
          nextRate[n] = target;
          nextStage[n++] = activeStage[at]; // kept open: retune below rebuilds its conversion
          continue;
        }
        if (at >= 0) {
          writeTail(at);
          if (o == clock) {
            o.drain(); // the previous format plays out to its end before the device reopens
            checkHeard();
            clockReopened = true;
          }
          o.close();
        }
        o.open(target, channels);
        if (paused) {
          o.pause();
        }
        next[n] = o;
        nextRate[n++] = target;
      } catch (OutputException | RuntimeException e) {
        o.close(); // safe when it is not open; set aside until the next format change
        listener.outputFailed(o.id(), e.getMessage());
      }
    }
    install(next, nextRate, nextStage, n);
    openChannels = channels;
    clock = null;
    pickClock();
    if (clock == null) {
      if (oldClock == fallback && sameChannels && fallbackRate == want) {
        useClock(fallback, fallbackRate);
      } else {
        fallback.close();
        openFallback(want);
        clockReopened |= oldClock == fallback;
      }
    } else {
      fallback.close();
    }
    if (oldClock != null && (clock != oldClock || clockReopened)) {
      rebase(oldWritten, oldRate);
    }
    retune(clockRate);
    listener.outputsChanged();
  }

  /**
   * Makes {@code rate} the engine rate and gives every conversion the ratio it needs. A conversion
   * whose ratio holds is kept, so its output goes on without a break; an output conversion whose
   * input rate changes plays out its tail first. A new source conversion starts from silence (at a
   * clock change mid-item, what the old one held, under 2 ms, is dropped).
   */
  private void retune(int rate) {
    long clockBefore = clock == null ? 0 : clock.framesWritten();
    for (int i = 0; i < activeCount; i++) {
      RateStage s = activeStage[i];
      if (s != null && s.inRate == rate && s.channels == openChannels) {
        continue;
      }
      writeTail(i);
      activeStage[i] = new RateStage(rate, activeRate[i], openChannels, CHUNK_FRAMES);
    }
    if (!fits(source, sourceRate, rate)) {
      // Albums of two rates often alternate: the last conversion is kept for when it fits again.
      RateStage previous = source;
      source =
          fits(spareSource, sourceRate, rate)
              ? spareSource
              : new RateStage(sourceRate, rate, openChannels, PcmBlock.CAPACITY / openChannels);
      source.reset();
      spareSource = previous;
    }
    openRate = rate;
    long tail = clock == null ? 0 : clock.framesWritten() - clockBefore;
    if (tail > 0) {
      skipAnchor(tail);
    }
  }

  /**
   * A clock that was just handed over got the tail of its old conversion (audio of item frames the
   * anchor already counts as passed), or the chain's latency changed by {@code frames} (negative
   * when it shrank). The anchor and the end move by those frames.
   */
  private void skipAnchor(long frames) {
    PlaybackClock.Anchor a = clockView.anchor.get();
    if (a != null && a.clock() == clock && a.generation() == seenGeneration) {
      clockView.anchor.compareAndSet(
          a,
          new PlaybackClock.Anchor(
              a.generation(),
              a.play(),
              a.outputFrame() + frames,
              a.itemFrame(),
              a.sampleRate(),
              a.outputRate(),
              clock));
    }
    for (int k = 0; k < boundaryCount; k++) {
      boundaryAt[(boundaryHead + k) % MAX_BOUNDARIES] += frames;
    }
    if (endPending) {
      endAt += frames;
    }
  }

  private boolean fits(RateStage s, int in, int out) {
    return s != null && s.inRate == in && s.outRate == out && s.channels == openChannels;
  }

  private static long scale(long frames, int toRate, int fromRate) {
    return toRate == fromRate ? frames : frames * toRate / fromRate;
  }

  /**
   * The clock changed under a playing stream: what was written to the old clock (at {@code
   * oldRate}) and not heard is gone, so the next frame written to the new clock is the next frame
   * heard. Plays whose start was written but not heard count as started now.
   */
  private void rebase(long oldWritten, int oldRate) {
    PlaybackClock.Anchor a = clockView.anchor.get();
    if (a == null || a.generation() != seenGeneration) {
      boundaryCount = 0;
      return;
    }
    Play play = a.play();
    int itemRate = a.sampleRate();
    long frame =
        a.clock() == null
            ? a.itemFrame()
            : a.itemFrame() + scale(oldWritten - a.outputFrame(), a.sampleRate(), a.outputRate());
    while (boundaryCount > 0) {
      int i = boundaryHead;
      play = boundaryPlay[i];
      itemRate = boundaryRate[i];
      frame =
          boundaryItemFrame[i] + scale(Math.max(0, oldWritten - boundaryAt[i]), itemRate, oldRate);
      boundaryPlay[i] = null;
      boundaryHead = (boundaryHead + 1) % MAX_BOUNDARIES;
      boundaryCount--;
      listener.playStarted(play, boundaryItemFrame[i], WallClock.micros());
    }
    if (a.clock() != null || play != a.play()) {
      clockView.anchor.compareAndSet(
          a,
          new PlaybackClock.Anchor(
              seenGeneration, play, clock.framesWritten(), frame, itemRate, clockRate, clock));
    }
    if (endPending) {
      endAt = clock.framesWritten();
    }
  }

  private void fail(int index, String reason) {
    Output o = active[index];
    o.close();
    int tail = activeCount - index - 1;
    System.arraycopy(active, index + 1, active, index, tail);
    System.arraycopy(activeRate, index + 1, activeRate, index, tail);
    System.arraycopy(activeStage, index + 1, activeStage, index, tail);
    active[--activeCount] = null;
    activeStage[activeCount] = null;
    listener.outputFailed(o.id(), reason);
    if (o == clock) {
      long written = o.framesWritten();
      int oldRate = clockRate;
      clock = null;
      pickClock();
      if (clock == null) {
        openFallback(openRate);
      }
      rebase(written, oldRate); // emit() retunes once the block is written, if the rate changed
    }
    listener.outputsChanged();
  }

  private void addBoundary(Play play, long at, long itemFrame, int itemRate) {
    if (boundaryCount == MAX_BOUNDARIES) {
      fireBoundary(0); // cannot happen with a 2 s pipe of 20 ms blocks; keep the newest
    }
    int i = (boundaryHead + boundaryCount) % MAX_BOUNDARIES;
    boundaryPlay[i] = play;
    boundaryAt[i] = at;
    boundaryItemFrame[i] = itemFrame;
    boundaryRate[i] = itemRate;
    boundaryCount++;
  }

  private void checkHeard() {
    if (clock == null) {
      if (endPending) { // nothing was ever written (an empty item): the end is heard at once
        endPending = false;
        listener.endOfStream(seenGeneration);
      }
      return;
    }
    long played = clock.framesPlayed();
    while (boundaryCount > 0 && played >= boundaryAt[boundaryHead]) {
      fireBoundary(played - boundaryAt[boundaryHead]);
    }
    if (endPending && boundaryCount == 0 && played >= endAt) {
      endPending = false;
      listener.endOfStream(seenGeneration);
    }
  }

  private void fireBoundary(long framesAgo) {
    int i = boundaryHead;
    Play play = boundaryPlay[i];
    boundaryPlay[i] = null;
    boundaryHead = (boundaryHead + 1) % MAX_BOUNDARIES;
    boundaryCount--;
    PlaybackClock.Anchor a = clockView.anchor.get();
    if (a == null || a.generation() != seenGeneration || generation.get() != seenGeneration) {
      return;
    }
    PlaybackClock.Anchor next =
        new PlaybackClock.Anchor(
            seenGeneration,
            play,
            boundaryAt[i],
            boundaryItemFrame[i],
            boundaryRate[i],
            clockRate,
            clock);
    if (clockView.anchor.compareAndSet(a, next)) {
      long heard = WallClock.micros() - framesAgo * 1_000_000L / Math.max(1, clockRate);
      listener.playStarted(play, boundaryItemFrame[i], heard);
    }
  }
}
