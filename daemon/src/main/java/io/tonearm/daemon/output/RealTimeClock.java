package io.tonearm.daemon.output;

/**
 * A frame clock that advances at the sample rate against {@link System#nanoTime}, for outputs that
 * have no device clock of their own. It stops at the last written frame (an underrun does not run
 * ahead of the data) and restarts from there on the next write.
 *
 * <p>One writer thread (the output thread) changes it; any thread reads it without locking: the
 * fields are guarded by a sequence counter (odd while a change is in progress) and readers retry.
 */
final class RealTimeClock {

  private volatile long version;
  private volatile long written;
  private volatile long baseFrames;
  private volatile long baseNanos;
  private volatile boolean running;
  private volatile int rate = 1;

  /** Restarts at frame 0 for a new rate; writer thread only. */
  void reset(int sampleRate) {
    begin();
    rate = sampleRate;
    written = 0;
    baseFrames = 0;
    baseNanos = System.nanoTime();
    running = true;
    end();
  }

  /** Counts {@code frames} more as written; writer thread only. */
  void wrote(int frames) {
    long now = System.nanoTime();
    begin();
    if (running && playedAt(now) >= written) {
      // Underrun: the clock waited at the last frame; start counting again from now.
      baseFrames = written;
      baseNanos = now;
    }
    written += frames;
    end();
  }

  /** Freezes the clock; writer thread only. */
  void pause() {
    long now = System.nanoTime();
    begin();
    if (running) {
      baseFrames = playedAt(now);
      running = false;
    }
    end();
  }

  /** Unfreezes the clock; writer thread only. */
  void resume() {
    begin();
    if (!running) {
      baseNanos = System.nanoTime();
      running = true;
    }
    end();
  }

  /** Drops unplayed frames: written becomes played; writer thread only. */
  void flush() {
    long now = System.nanoTime();
    begin();
    long played = playedAt(now);
    written = played;
    baseFrames = played;
    baseNanos = now;
    end();
  }

  long written() {
    return written;
  }

  long played() {
    long now = System.nanoTime();
    while (true) {
      long v = version;
      if ((v & 1) != 0) {
        Thread.onSpinWait();
        continue;
      }
      long p = playedAt(now);
      if (version == v) {
        return p;
      }
    }
  }

  int rate() {
    return rate;
  }

  private long playedAt(long now) {
    if (!running) {
      return baseFrames;
    }
    long elapsed = Math.max(0, now - baseNanos);
    long p = baseFrames + elapsed / 1000 * rate / 1_000_000;
    return Math.min(written, p);
  }

  private void begin() {
    version = version + 1;
  }

  private void end() {
    version = version + 1;
  }
}
