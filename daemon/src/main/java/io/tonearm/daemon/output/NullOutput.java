package io.tonearm.daemon.output;

import java.util.concurrent.locks.LockSupport;

/**
 * Discards the audio but plays it in real time: {@link #write} blocks so that at most {@link
 * #BUFFER_MILLIS} of audio is ahead of the clock. The default output when there is no sound device,
 * and the clock of last resort when every paced output is disabled or failed.
 */
public final class NullOutput implements Output {

  /**
   * How far writes may run ahead of the clock; also the worst-case latency. Writers are let in
   * again when half of it has played, so a playing null output wakes its thread about four times a
   * second (measured: each wake-up costs more CPU than the 20 ms blocks it lets through). Pause,
   * seek and stop do not wait for it: the buffer is virtual and flushes at once.
   */
  public static final int BUFFER_MILLIS = 500;

  private final String id;
  private final RealTimeClock clock = new RealTimeClock();
  private volatile boolean open;

  public NullOutput() {
    this("null");
  }

  public NullOutput(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return "Null output (discards audio, paced to real time)";
  }

  @Override
  public boolean paced() {
    return true;
  }

  @Override
  public void open(int sampleRate, int channels) {
    clock.reset(sampleRate);
    open = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) {
    clock.wrote(frames);
    long ahead = (long) clock.rate() * BUFFER_MILLIS / 1000;
    long over;
    while ((over = clock.written() - clock.played() - ahead) > 0) {
      // Sleep until the excess has played, at least 1 ms: one wake-up per block, not a spin.
      LockSupport.parkNanos(Math.max(1_000_000L, over * 1_000_000_000L / clock.rate()));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public long nanosUntilWritable(int frames) {
    int rate = clock.rate();
    long buffer = (long) rate * BUFFER_MILLIS / 1000;
    long queued = clock.written() - clock.played();
    if (queued + frames <= buffer) {
      return 0;
    }
    long target = Math.min(buffer - frames, buffer / 2); // room for this block and then some
    return Math.max(1_000_000L, (queued - Math.max(0, target)) * 1_000_000_000L / rate);
  }

  @Override
  public void pause() {
    clock.pause();
  }

  @Override
  public void resume() {
    clock.resume();
  }

  @Override
  public void flush() {
    clock.flush();
  }

  @Override
  public void drain() {
    while (open && clock.played() < clock.written()) {
      LockSupport.parkNanos(2_000_000L);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public long framesWritten() {
    return clock.written();
  }

  @Override
  public long framesPlayed() {
    return clock.played();
  }

  @Override
  public long latencyMicros() {
    return (clock.written() - clock.played()) * 1_000_000L / clock.rate();
  }
}
