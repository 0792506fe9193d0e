package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.ChannelSelect;
import java.util.function.LongSupplier;

/**
 * The most recently played samples (2^19 frames: 10.9 s at 48 kHz, 2.7 s at 192 kHz), each block
 * stamped with the time it is heard. One writer (the output thread, through {@link AnalysisTap})
 * and any number of readers (the frame ticker): the writer never waits; a reader that falls more
 * than the ring's length behind reads newer samples than it asked for, which only happens when the
 * ticker stalls for seconds.
 *
 * <p>Keeps the first two channels and the mean of all channels, planar, so that every channel view
 * (mono, left, right, mid, side) is a cheap read.
 *
 * <p>On demand (as the daemon runs it), the ring keeps samples only while a reader asked for them
 * ({@link #freshEnd}) within the last {@link #WATCH_NANOS}: with no analysis view open, the output
 * thread copies nothing (a third of its time while playing) and the planes are dropped. The first
 * block written after a reader comes back starts a new history: frames before it read as 0, and
 * nothing is audible until that block is heard, so a view that opens then gets its first frame one
 * output buffer later (500 ms on the null output) and its first windows hold silence where the
 * audio before that block was.
 */
public final class PlayedRing {

  /** Frames kept. A power of two. */
  public static final int CAPACITY = 1 << 19;

  private static final int MASK = CAPACITY - 1;
  private static final int STAMPS = 4096;

  /**
   * How far past the last sample written a time still counts as audible: block stamps are whole
   * microseconds, so the end of a block computed from its stamp may be off by one.
   */
  static final long EDGE_MICROS = 1000;

  /** On demand: how long after the last read the writer keeps writing. */
  static final long WATCH_NANOS = 2_000_000_000L;

  /** The three planes, made at the first write (a player that never plays holds none). */
  private static final class Planes {
    final float[] left = new float[CAPACITY];
    final float[] right = new float[CAPACITY];
    final float[] mono = new float[CAPACITY];
  }

  private volatile Planes planes; // made by the writer before the `written` it publishes
  private final long[] stampFrame = new long[STAMPS];
  private final long[] stampMicros = new long[STAMPS];
  private final int[] stampRate = new int[STAMPS];
  private volatile long written;
  private volatile long blocks;
  private volatile boolean held;
  private long heldAt;

  private final boolean onDemand;
  private final LongSupplier nanoClock;
  private volatile long lastReadNanos;
  private volatile boolean everRead;

  /** Frames before this one were passed unkept (on demand, unread): they read as 0. */
  private volatile long keptFrom;

  private boolean skipping; // writer only

  /** A ring that keeps every block. */
  public PlayedRing() {
    this(false);
  }

  /**
   * @param onDemand keep blocks only while a reader called {@link #freshEnd} within the last {@link
   *     #WATCH_NANOS}
   */
  public PlayedRing(boolean onDemand) {
    this(onDemand, System::nanoTime);
  }

  /** As {@link #PlayedRing(boolean)}, reading the time of reads from {@code nanoClock}. */
  PlayedRing(boolean onDemand, LongSupplier nanoClock) {
    this.onDemand = onDemand;
    this.nanoClock = nanoClock;
  }

  /** Writer: true when the next block should be kept. */
  boolean wanted() {
    return !onDemand || (everRead && nanoClock.getAsLong() - lastReadNanos < WATCH_NANOS);
  }

  /**
   * Writer: a block passed unkept because {@link #wanted} was false. The first such block drops the
   * planes (their memory goes back to the heap); the next kept block starts a new history.
   */
  void skip() {
    if (!skipping) {
      skipping = true;
      planes = null;
    }
  }

  /**
   * Writer: appends one interleaved stereo block heard from {@code presentationMicros}, each sample
   * as {@link AnalysisTap#clean} makes it: the same planes as {@link #write} of the sanitised
   * block, in one pass.
   */
  void writeStereoSanitised(
      float[] src, int offset, int frames, int rate, long presentationMicros) {
    long w = written;
    Planes p0 = stamp(w, rate, presentationMicros);
    float[] left = p0.left;
    float[] right = p0.right;
    float[] mono = p0.mono;
    int i = 0;
    int p = offset;
    while (i < frames) {
      int r = (int) ((w + i) & MASK);
      int run = Math.min(frames - i, CAPACITY - r); // up to the ring's wrap
      for (int end = r + run; r < end; r++, p += 2) {
        float l = AnalysisTap.clean(src[p]);
        float rr = AnalysisTap.clean(src[p + 1]);
        float sum = 0;
        sum += l;
        sum += rr;
        left[r] = l;
        right[r] = rr;
        mono[r] = sum * 0.5f;
      }
      i += run;
    }
    publish(w + frames);
  }

  /** Writer: appends one sanitised interleaved block heard from {@code presentationMicros}. */
  void write(float[] src, int offset, int frames, int channels, int rate, long presentationMicros) {
    long w = written;
    Planes p0 = stamp(w, rate, presentationMicros);
    float[] left = p0.left;
    float[] right = p0.right;
    float[] mono = p0.mono;
    float inv = 1f / channels;
    for (int i = 0; i < frames; i++) {
      int p = offset + i * channels;
      int r = (int) ((w + i) & MASK);
      float l = src[p];
      float rr = channels > 1 ? src[p + 1] : l;
      float sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += src[p + c];
      }
      left[r] = l;
      right[r] = rr;
      mono[r] = sum * inv;
    }
    publish(w + frames);
  }

  /** Writer: the planes to write into, made at the first write, and the next block's stamp. */
  private Planes stamp(long w, int rate, long presentationMicros) {
    if (skipping) {
      skipping = false;
      keptFrom = w; // published by the `written` that follows
    }
    Planes p0 = planes;
    if (p0 == null) {
      p0 = new Planes();
      planes = p0;
    }
    int slot = (int) (blocks % STAMPS);
    stampFrame[slot] = w;
    stampMicros[slot] = presentationMicros;
    stampRate[slot] = rate;
    return p0;
  }

  /** Writer: publishes the samples up to {@code end}, then the stamp. */
  private void publish(long end) {
    written = end;
    blocks = blocks + 1;
  }

  /**
   * Drops the three planes (the writer makes new ones at its next write), for a stopped player; any
   * thread. A write under way finishes into the old planes, which are then forgotten; readers that
   * still hold them read them, later readers read silence for the frames written before.
   */
  public void release() {
    planes = null;
  }

  /** Whether the planes are made (a player that never played, or released them, holds none). */
  public boolean holdsPlanes() {
    return planes != null;
  }

  /** Frames written since the start. */
  public long written() {
    return written;
  }

  /**
   * {@link #audibleEnd}, or 0 when nothing is audible at {@code nowMicros}: paused, or past the
   * last sample written (stopped, flushed, between a seek and its first sample heard, at the end of
   * the queue). Frame sources then send nothing, rather than repeat the last frame.
   */
  public long freshEnd(long nowMicros) {
    if (onDemand) {
      lastReadNanos = nanoClock.getAsLong();
      everRead = true;
    }
    if (held) {
      return 0;
    }
    long w = written;
    long end = audibleEnd(nowMicros);
    return end > keptFrom && nowMicros <= micros(w, Long.MIN_VALUE) + EDGE_MICROS ? end : 0;
  }

  /**
   * Writer: the output paused at {@code nowMicros}; what was written and not yet heard waits in the
   * output and is heard after {@link #resume}. Until then nothing is audible.
   */
  void pause(long nowMicros) {
    if (!held) {
      heldAt = nowMicros;
      held = true;
    }
  }

  /**
   * Writer: the output resumed at {@code nowMicros}: every block not wholly heard at the pause is
   * heard that much later.
   */
  void resume(long nowMicros) {
    if (!held) {
      return;
    }
    long shift = nowMicros - heldAt;
    long b = blocks;
    long floor = Math.max(0, b - STAMPS + 1);
    for (long i = b - 1; i >= floor; i--) {
      int slot = (int) (i % STAMPS);
      long at = stampMicros[slot];
      stampMicros[slot] = at + shift;
      if (at <= heldAt) {
        break; // the block heard at the pause: its rest follows the resume
      }
    }
    held = false; // publishes the stamps
  }

  /**
   * Writer: the output dropped what it held (stop, seek, skip) at {@code nowMicros}, or at the
   * pause when paused: the samples not yet heard are forgotten, as if never written, and the next
   * block follows the last sample heard.
   */
  void discardUnheard(long nowMicros) {
    long now = held ? heldAt : nowMicros;
    long b = blocks;
    long w = written;
    long floor = Math.max(0, b - STAMPS + 1);
    while (b > floor) {
      int slot = (int) ((b - 1) % STAMPS);
      if (stampMicros[slot] <= now) {
        long into = (now - stampMicros[slot]) * stampRate[slot] / 1_000_000L + 1;
        w = Math.min(w, stampFrame[slot] + into);
        break;
      }
      w = stampFrame[slot];
      b--;
    }
    written = w;
    blocks = b;
  }

  /**
   * The position just after the frame heard at {@code nowMicros}: the end of the window a frame at
   * {@code nowMicros} describes. Returns -1 when nothing written is audible yet.
   */
  public long audibleEnd(long nowMicros) {
    long b = blocks;
    long w = written;
    long next = w;
    for (long i = b - 1; i >= 0 && i >= b - STAMPS + 1; i--) {
      int slot = (int) (i % STAMPS);
      long start = stampFrame[slot];
      long at = stampMicros[slot];
      if (at <= nowMicros) {
        long into = (nowMicros - at) * stampRate[slot] / 1_000_000L + 1;
        return Math.min(start + into, next);
      }
      next = start;
    }
    return -1;
  }

  /** Sample rate of the block holding frame {@code end - 1}, or 0 when nothing was written. */
  public int rateAt(long end) {
    long b = blocks;
    for (long i = b - 1; i >= 0 && i >= b - STAMPS + 1; i--) {
      int slot = (int) (i % STAMPS);
      if (stampFrame[slot] < end) {
        return stampRate[slot];
      }
    }
    return 0;
  }

  /**
   * Time at which frame {@code frame} is heard, from the stamp of the block that holds it; {@code
   * fallback} when that block is no longer known.
   */
  public long micros(long frame, long fallback) {
    long b = blocks;
    for (long i = b - 1; i >= 0 && i >= b - STAMPS + 1; i--) {
      int slot = (int) (i % STAMPS);
      if (stampFrame[slot] <= frame) {
        return stampMicros[slot] + (frame - stampFrame[slot]) * 1_000_000L / stampRate[slot];
      }
    }
    return fallback;
  }

  /**
   * Copies the {@code n} frames ending before {@code end} of channel view {@code channel} into
   * {@code dst}; frames never written, or passed unkept, read as 0.
   */
  public void copy(ChannelSelect channel, long end, int n, float[] dst) {
    long start = end - n;
    long w = written; // read before the planes: a write's planes are published before it
    Planes p0 = planes;
    if (p0 == null) {
      java.util.Arrays.fill(dst, 0, n, 0f);
      return;
    }
    float[] left = p0.left;
    float[] right = p0.right;
    float[] mono = p0.mono;
    long oldest = Math.max(keptFrom, w - CAPACITY);
    // Frames before the oldest kept (or never written) read as 0; the rest is one or two runs of
    // the ring, copied with the channel chosen once rather than per sample.
    int i = 0;
    for (; i < n && start + i < oldest; i++) {
      dst[i] = 0;
    }
    while (i < n) {
      int r = (int) ((start + i) & MASK);
      int run = Math.min(n - i, CAPACITY - r);
      switch (channel) {
        case CHANNEL_SELECT_LEFT -> System.arraycopy(left, r, dst, i, run);
        case CHANNEL_SELECT_RIGHT -> System.arraycopy(right, r, dst, i, run);
        case CHANNEL_SELECT_MID -> {
          for (int k = 0; k < run; k++) {
            dst[i + k] = (left[r + k] + right[r + k]) * 0.5f;
          }
        }
        case CHANNEL_SELECT_SIDE -> {
          for (int k = 0; k < run; k++) {
            dst[i + k] = (left[r + k] - right[r + k]) * 0.5f;
          }
        }
        default -> System.arraycopy(mono, r, dst, i, run);
      }
      i += run;
    }
  }
}
