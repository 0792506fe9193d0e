package io.tonearm.daemon.analysis;

import java.lang.invoke.VarHandle;

/**
 * A ring of meter snapshots stamped with the time they are heard, for one writer (the output
 * thread) and one reader (the frame ticker). The writer fills the slot {@link #next} gives, then
 * {@link #publish}es it; a reader takes the newest snapshot heard at or before its time, so that
 * meters move with the sound, not ahead of it by the output latency. Slot field {@link #AT} is the
 * time (server wall clock, microseconds) the snapshot's last sample is heard and {@link #RATE} the
 * sample rate; the rest is the owner's layout. Pause, resume and flushes shift or forget the
 * snapshots not yet heard, as {@link PlayedRing} does for samples.
 *
 * <p>The writer never waits; a reader that stalls for more than {@code slots - 8} blocks reads
 * nothing rather than a torn snapshot. The slots are allocated when the writer first takes one, so
 * meters nobody watched hold no memory (an idle daemon's were 0.42 MB of its heap, issue 13).
 */
final class SnapshotRing {

  static final int AT = 0;
  static final int RATE = 1;

  private final int slotCount;
  private final int width;
  private double[] slots; // null until the writer's first next(); published with published
  private Object[] tags;
  private volatile long published;
  private volatile long first; // snapshots below this number are from an earlier measuring run
  private volatile boolean held;
  private long heldAt;

  /**
   * @param slotCount snapshots kept (they must cover the output's latency in blocks)
   * @param width doubles per snapshot, at least 2
   */
  SnapshotRing(int slotCount, int width) {
    this.slotCount = slotCount;
    this.width = width;
  }

  /** Doubles per snapshot. */
  int width() {
    return width;
  }

  /**
   * Writer: the array every slot lives in; a slot starts at the index {@link #next} returns. Null
   * before the first {@link #next}.
   */
  double[] data() {
    return slots;
  }

  /**
   * Writer: the start index of the slot to fill next (not visible until {@link #publish}); the
   * first call allocates the slots.
   */
  int next() {
    if (slots == null) {
      // Seen by a reader only through the volatile write of published that follows (publish).
      slots = new double[slotCount * width];
      tags = new Object[slotCount];
    }
    return (int) (published % slotCount) * width;
  }

  /** Writer: publishes the slot filled, with {@code tag} (an immutable object, or null). */
  void publish(Object tag) {
    long n = published;
    tags[(int) (n % slotCount)] = tag;
    VarHandle.releaseFence();
    published = n + 1;
  }

  /**
   * Writer: measuring starts again after a stretch of blocks that were not measured (nobody
   * watched): the snapshots published before are forgotten, so a reader gets nothing until the
   * first new snapshot is heard, rather than the last values of the earlier run (stamped with their
   * old time, and possibly seconds or minutes old).
   */
  void restart() {
    first = published;
  }

  /** Writer: the output paused at {@code nowMicros}; nothing is heard until {@link #resume}. */
  void pause(long nowMicros) {
    if (!held) {
      heldAt = nowMicros;
      held = true;
    }
  }

  /** Writer: the output resumed; snapshots not heard at the pause are heard that much later. */
  void resume(long nowMicros) {
    if (!held) {
      return;
    }
    long shift = nowMicros - heldAt;
    long n = published;
    for (long i = n - 1; i >= 0 && i > n - slotCount + 8; i--) {
      int base = (int) (i % slotCount) * width;
      if (slots[base + AT] <= heldAt) {
        break;
      }
      slots[base + AT] += shift;
    }
    VarHandle.releaseFence();
    held = false;
  }

  /**
   * Writer: the output dropped what it held at {@code nowMicros} (at the pause when paused): the
   * snapshots not yet heard are forgotten.
   */
  void discardUnheard(long nowMicros) {
    long now = held ? heldAt : nowMicros;
    long n = published;
    long floor = Math.max(first, n - slotCount + 8);
    while (n > floor && slots[(int) ((n - 1) % slotCount) * width + AT] > now) {
      n--;
    }
    published = n;
  }

  /**
   * Reader: copies into {@code dst} (length {@link #width}) the newest snapshot heard at or before
   * {@code nowMicros} and returns its tag, or returns {@link #NONE} when there is none, or when
   * nothing is audible at {@code nowMicros} (paused, or past the last block measured: stopped,
   * flushed, the end of the queue). A snapshot published without a tag returns {@link #UNTAGGED}.
   */
  Object read(long nowMicros, double[] dst) {
    if (held) {
      return NONE;
    }
    long n = published;
    VarHandle.acquireFence();
    double[] s = slots; // set before the first publish, so not null once n > 0
    long from = first;
    if (n <= from || s == null) {
      return NONE;
    }
    int newest = (int) ((n - 1) % slotCount) * width;
    if (nowMicros > s[newest + AT] + 1e6 / s[newest + RATE] + PlayedRing.EDGE_MICROS) {
      return NONE; // the last sample measured has been heard: nothing plays now
    }
    for (long i = n - 1; i >= from && i > n - slotCount + 8; i--) {
      int base = (int) (i % slotCount) * width;
      if (s[base + AT] <= nowMicros) {
        System.arraycopy(s, base, dst, 0, width);
        Object tag = tags[(int) (i % slotCount)];
        VarHandle.acquireFence();
        // The writer may have lapped this slot while we copied; 8 slots of slack make that need
        // a stall of hundreds of blocks.
        if (published - i >= slotCount - 8) {
          return NONE;
        }
        return tag == null ? UNTAGGED : tag;
      }
    }
    return NONE;
  }

  /** What {@link #read} returns when there is nothing to read. */
  static final Object NONE = new Object();

  /** What {@link #read} returns for a snapshot published without a tag. */
  static final Object UNTAGGED = new Object();
}
