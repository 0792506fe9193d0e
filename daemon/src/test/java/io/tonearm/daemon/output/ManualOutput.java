package io.tonearm.daemon.output;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A paced output whose clock the test moves by hand ({@link #setPlayed}), or that plays everything
 * at once ({@link #autoPlay}). Records every sample it gets, in segments split at each flush or
 * open, so that a test can compare what was "heard" sample by sample. Never blocks, unless told to
 * ({@link #holdWrites}).
 */
public final class ManualOutput implements Output {

  private final String id;
  private final List<List<Float>> segments = new ArrayList<>();
  private volatile long written;
  private volatile long played;
  private volatile boolean auto;
  private volatile boolean open;
  private volatile int rate;
  private volatile int channels;
  private volatile boolean failOpen;
  private volatile int opens;
  private volatile long failAfter = Long.MAX_VALUE;
  private volatile CountDownLatch gate;
  private final Semaphore blocked = new Semaphore(0);
  private volatile int fixedRate;
  private volatile boolean unlistened;
  private volatile int drains;
  private volatile CountDownLatch heardCheckGate;
  private final Semaphore heardCheckHeld = new Semaphore(0);

  public ManualOutput(String id) {
    this.id = id;
  }

  /** Frames count as played as soon as they are written. */
  public ManualOutput autoPlay(boolean on) {
    auto = on;
    return this;
  }

  /** Makes every later open fail. */
  public ManualOutput failOpen(boolean on) {
    failOpen = on;
    return this;
  }

  /** Makes a write fail once this many frames have been written. */
  public ManualOutput failWriteAfter(long frames) {
    failAfter = frames;
    return this;
  }

  /**
   * Makes the next writes block (as a device that is slow to start would) until {@link
   * #releaseWrites}; {@link #awaitBlockedWrite} tells when the output thread is held in one.
   */
  public ManualOutput holdWrites() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Lets held and later writes through. */
  public void releaseWrites() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Waits (up to 10 s) until a write is held by {@link #holdWrites}. */
  public void awaitBlockedWrite() throws InterruptedException {
    if (!blocked.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no write reached the output");
    }
  }

  /**
   * Makes the engine's next look at this clock when it checks what was heard (the output thread's
   * {@code OutputLoop.checkHeard}) wait until {@link #releaseHeardCheck}; {@link
   * #awaitHeldHeardCheck} tells when it waits. Lets a test put a load between the output thread's
   * reading of the generation and its taking of the next block.
   */
  public ManualOutput holdHeardCheck() {
    heardCheckGate = new CountDownLatch(1);
    return this;
  }

  /** Waits (up to 10 s) until the output thread is held by {@link #holdHeardCheck}. */
  public void awaitHeldHeardCheck() throws InterruptedException {
    if (!heardCheckHeld.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the output thread did not check what was heard");
    }
  }

  /** Lets the held check (and later ones) through. */
  public void releaseHeardCheck() {
    CountDownLatch g = heardCheckGate;
    heardCheckGate = null;
    if (g != null) {
      g.countDown();
    }
  }

  private void holdIfCheckingHeard() {
    CountDownLatch g = heardCheckGate;
    if (g == null
        || !StackWalker.getInstance()
            .walk(s -> s.limit(4).anyMatch(f -> f.getMethodName().equals("checkHeard")))) {
      return;
    }
    heardCheckHeld.release();
    try {
      g.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes the output say that nobody listens to it (as the HTTP stream without listeners). */
  public ManualOutput unlistened(boolean on) {
    unlistened = on;
    return this;
  }

  @Override
  public boolean listened() {
    return !unlistened;
  }

  /** Makes the output open at {@code rate} whatever the engine asks for (0: what it asks). */
  public ManualOutput fixedRate(int rate) {
    fixedRate = rate;
    return this;
  }

  @Override
  public int rateFor(int sampleRate, int channels) {
    return fixedRate > 0 ? fixedRate : sampleRate;
  }

  /** Moves the clock: {@code frames} have been heard (capped at what was written). */
  public void setPlayed(long frames) {
    played = frames;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return "manual test output";
  }

  @Override
  public boolean paced() {
    return true;
  }

  @Override
  public synchronized void open(int sampleRate, int channels) throws OutputException {
    if (failOpen) {
      throw new OutputException("refused by test");
    }
    this.rate = sampleRate;
    this.channels = channels;
    written = 0;
    played = 0;
    opens++;
    segments.add(new ArrayList<>());
    open = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) throws OutputException {
    CountDownLatch g = gate;
    if (g != null) {
      blocked.release();
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    append(interleaved, offset, frames);
  }

  private synchronized void append(float[] interleaved, int offset, int frames)
      throws OutputException {
    if (written >= failAfter) {
      throw new OutputException("device unplugged (test)");
    }
    List<Float> seg = segments.get(segments.size() - 1);
    for (int i = 0; i < frames * channels; i++) {
      seg.add(interleaved[offset + i]);
    }
    written += frames;
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public synchronized void flush() {
    written = framesPlayed();
    segments.add(new ArrayList<>());
  }

  @Override
  public void drain() {
    drains++;
    played = written;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public long framesWritten() {
    return written;
  }

  @Override
  public long framesPlayed() {
    holdIfCheckingHeard();
    return auto ? written : Math.min(played, written);
  }

  @Override
  public long latencyMicros() {
    return rate == 0 ? 0 : (written - framesPlayed()) * 1_000_000L / rate;
  }

  public int sampleRate() {
    return rate;
  }

  public int opens() {
    return opens;
  }

  /** Calls of {@link #drain} so far. */
  public int drains() {
    return drains;
  }

  /** Segments so far: one per open and one per flush. */
  public synchronized int segments() {
    return segments.size();
  }

  /** Every sample received, all segments joined. */
  public synchronized float[] all() {
    List<Float> out = new ArrayList<>();
    segments.forEach(out::addAll);
    return toArray(out);
  }

  /** The samples received since the last flush or open. */
  public synchronized float[] lastSegment() {
    return toArray(segments.isEmpty() ? List.of() : segments.get(segments.size() - 1));
  }

  private static float[] toArray(List<Float> l) {
    float[] a = new float[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }
}
