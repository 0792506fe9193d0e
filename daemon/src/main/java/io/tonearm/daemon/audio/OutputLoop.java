package io.tonearm.daemon.audio;

import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.output.NullOutput;
import io.tonearm.daemon.output.Output;
import io.tonearm.daemon.output.OutputException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The output thread: takes blocks from the pipe, applies volume, shows them to the analysis tap and
 * writes them to every active output. The first active paced output is the clock; when there is
 * none, a private {@link NullOutput} is. It notices when a play's first frame is heard and when the
 * last frame of the stream is, and reports both.
 */
final class OutputLoop implements Runnable {

  private static final int MAX_BOUNDARIES = 256;

  /** The longest sleep: mail, blocks and the clock wake the thread earlier; this is a backstop. */
  private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

  private final BlockPipe pipe;
  private final AtomicLong generation;
  private final PlaybackClock clockView;
  private final VolumeRamp volume;
  private final PcmTap tap;
  private final EngineListener listener;
  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final NullOutput fallback = new NullOutput("fallback");
  private volatile boolean closed;
  private volatile Output clockOutput;

  private List<Output> wanted = List.of();
  private final Output[] active = new Output[32];
  private int activeCount;
  private Output clock;
  private int openRate;
  private int openChannels;
  private boolean paused;
  private long seenGeneration;
  private final Play[] boundaryPlay = new Play[MAX_BOUNDARIES];
  private final long[] boundaryAt = new long[MAX_BOUNDARIES];
  private final long[] boundaryItemFrame = new long[MAX_BOUNDARIES];
  private int boundaryHead;
  private int boundaryCount;
  private boolean endPending;
  private boolean gainJumpPending;
  private long endAt;

  OutputLoop(
      BlockPipe pipe,
      AtomicLong generation,
      PlaybackClock clockView,
      VolumeRamp volume,
      PcmTap tap,
      EngineListener listener) {
    this.pipe = pipe;
    this.generation = generation;
    this.clockView = clockView;
    this.volume = volume;
    this.tap = tap;
    this.listener = listener;
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

  /**
   * Output thread: replaces the set of enabled outputs. Outputs that stay enabled are not touched
   * (no click on the device when, say, the stream output is switched on); new ones open at the
   * current format; the clock moves only when the old clock was removed.
   */
  void setOutputs(List<Output> outputs) {
    wanted = List.copyOf(outputs);
    if (openRate == 0) {
      return; // nothing open yet: the next item opens what is wanted
    }
    Output oldClock = clock;
    long oldWritten = clock.framesWritten();
    Output[] kept = new Output[active.length];
    int n = 0;
    for (Output o : wanted) {
      boolean isActive = false;
      for (int i = 0; i < activeCount; i++) {
        isActive |= active[i] == o;
      }
      if (!isActive) {
        try {
          o.open(openRate, openChannels);
          if (paused) {
            o.pause();
          }
        } catch (OutputException | RuntimeException e) {
          listener.outputFailed(o.id(), e.getMessage());
          continue;
        }
      }
      kept[n++] = o;
    }
    for (int i = 0; i < activeCount; i++) {
      if (!wanted.contains(active[i])) {
        active[i].close();
      }
    }
    System.arraycopy(kept, 0, active, 0, n);
    Arrays.fill(active, n, active.length, null);
    activeCount = n;
    clock = null;
    for (int i = 0; i < activeCount && clock == null; i++) {
      if (active[i].paced()) {
        clock = active[i];
      }
    }
    if (clock == null) {
      clock = oldClock == fallback ? fallback : openFallback();
    } else if (oldClock == fallback) {
      fallback.close();
    }
    clockOutput = clock;
    if (clock != oldClock) {
      rebase(oldWritten);
    }
  }

  private Output openFallback() {
    fallback.open(openRate, openChannels);
    if (paused) {
      fallback.pause();
    }
    return fallback;
  }

  /** Output thread: stops or restarts the clock and every output. */
  void setPaused(boolean p) {
    if (p == paused) {
      return;
    }
    paused = p;
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
          pipe.release(); // left over from before a load or stop
          continue;
        }
        if (paused) {
          if (mailbox.isEmpty() && generation.get() == seenGeneration) {
            LockSupport.parkNanos(this, MAX_SLEEP_NANOS); // mail (resume) wakes us
          }
          continue;
        }
        if (b == null) {
          pipe.awaitData(nanosUntilHeard()); // a block, mail, or the next start or end heard
          continue;
        }
        long wait = clock == null ? 0 : clock.nanosUntilWritable(b.frames);
        if (wait > 0) {
          if (mailbox.isEmpty() && generation.get() == seenGeneration) {
            LockSupport.parkNanos(this, Math.min(wait, nanosUntilHeard()));
          }
          continue;
        }
        play(b);
        pipe.release();
      }
    } finally {
      for (int i = 0; i < activeCount; i++) {
        active[i].close();
      }
      fallback.close();
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
    }
    if (clock == fallback) {
      fallback.flush();
    }
    boundaryCount = 0;
    endPending = false;
    gainJumpPending = true; // at the first block played, so a gain set meanwhile is not ramped to
    tap.discontinuity();
  }

  private void play(PcmBlock b) {
    if (b.kind == PcmBlock.END) {
      endPending = true;
      endAt = clock == null ? 0 : clock.framesWritten();
      return;
    }
    if (b.kind == PcmBlock.START) {
      if (b.sampleRate != openRate || b.channels != openChannels) {
        if (clock != null) {
          clock.drain(); // the previous format plays out to its end before the device reopens
          checkHeard();
        }
        reopen(b.sampleRate, b.channels);
      }
      addBoundary(b.play, clock.framesWritten(), b.itemFrame);
    }
    long presentation = WallClock.micros() + clock.latencyMicros();
    if (b.kind == PcmBlock.START) {
      tap.trackChanged(b.play.itemId(), presentation);
    }
    if (gainJumpPending) {
      gainJumpPending = false;
      volume.jump();
    }
    volume.process(b.samples, 0, b.frames, b.channels, b.sampleRate);
    tap.accept(b.samples, 0, b.frames, b.channels, b.sampleRate, presentation);
    for (int i = 0; i < activeCount; i++) {
      Output o = active[i];
      try {
        o.write(b.samples, 0, b.frames);
      } catch (OutputException | RuntimeException e) {
        fail(i, e.getMessage());
        i--;
      }
    }
    if (clock == fallback) {
      fallback.write(b.samples, 0, b.frames); // paces the stream when no real clock is left
    }
  }

  /** Opens every wanted output at this format; the clock is the first paced one that opens. */
  private void reopen(int rate, int channels) {
    long written = clock == null ? 0 : clock.framesWritten();
    boolean hadClock = clock != null;
    for (int i = 0; i < activeCount; i++) {
      active[i].close();
    }
    fallback.close();
    activeCount = 0;
    clock = null;
    for (Output o : wanted) {
      try {
        o.open(rate, channels);
        active[activeCount++] = o;
        if (clock == null && o.paced()) {
          clock = o;
        }
      } catch (OutputException | RuntimeException e) {
        listener.outputFailed(o.id(), e.getMessage());
      }
    }
    if (clock == null) {
      fallback.open(rate, channels);
      clock = fallback;
    }
    clockOutput = clock;
    openRate = rate;
    openChannels = channels;
    if (paused) {
      for (int i = 0; i < activeCount; i++) {
        active[i].pause();
      }
      if (clock == fallback) {
        fallback.pause();
      }
    }
    if (hadClock) {
      rebase(written);
    }
  }

  /**
   * The clock changed under a playing stream: what was written to the old clock and not heard is
   * gone, so the next frame written to the new clock is the next frame heard. Plays whose start was
   * written but not heard count as started now.
   */
  private void rebase(long oldWritten) {
    PlaybackClock.Anchor a = clockView.anchor.get();
    if (a == null || a.generation() != seenGeneration) {
      boundaryCount = 0;
      return;
    }
    Play play = a.play();
    long frame = a.clock() == null ? a.itemFrame() : a.itemFrame() + oldWritten - a.outputFrame();
    while (boundaryCount > 0) {
      int i = boundaryHead;
      play = boundaryPlay[i];
      frame = boundaryItemFrame[i] + Math.max(0, oldWritten - boundaryAt[i]);
      boundaryPlay[i] = null;
      boundaryHead = (boundaryHead + 1) % MAX_BOUNDARIES;
      boundaryCount--;
      listener.playStarted(play, boundaryItemFrame[i], WallClock.micros());
    }
    if (a.clock() != null || play != a.play()) {
      clockView.anchor.compareAndSet(
          a,
          new PlaybackClock.Anchor(
              seenGeneration, play, clock.framesWritten(), frame, openRate, clock));
    }
    if (endPending) {
      endAt = clock.framesWritten();
    }
  }

  private void fail(int index, String reason) {
    Output o = active[index];
    o.close();
    System.arraycopy(active, index + 1, active, index, activeCount - index - 1);
    active[--activeCount] = null;
    listener.outputFailed(o.id(), reason);
    if (o == clock) {
      long written = o.framesWritten();
      clock = null;
      for (int i = 0; i < activeCount && clock == null; i++) {
        if (active[i].paced()) {
          clock = active[i];
        }
      }
      if (clock == null) {
        clock = openFallback();
      }
      clockOutput = clock;
      rebase(written);
    }
  }

  private void addBoundary(Play play, long at, long itemFrame) {
    if (boundaryCount == MAX_BOUNDARIES) {
      fireBoundary(0); // cannot happen with a 2 s pipe of 20 ms blocks; keep the newest
    }
    int i = (boundaryHead + boundaryCount) % MAX_BOUNDARIES;
    boundaryPlay[i] = play;
    boundaryAt[i] = at;
    boundaryItemFrame[i] = itemFrame;
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
            seenGeneration, play, boundaryAt[i], boundaryItemFrame[i], openRate, clock);
    if (clockView.anchor.compareAndSet(a, next)) {
      long heard = WallClock.micros() - framesAgo * 1_000_000L / Math.max(1, openRate);
      listener.playStarted(play, boundaryItemFrame[i], heard);
    }
  }
}
