package io.tonearm.daemon.events;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state lane's history: the newest events by seq, bounded by count and by encoded bytes.
 *
 * <p>One writer (the hub, under its lock) appends; any thread reads without locking. A reader asks
 * for a seq and gets the event or null when it has been evicted (or not yet published).
 */
final class HistoryRing {

  /**
   * Events this far behind the newest (or further) have their socket forms dropped ({@link
   * EncodedEvent#releaseFrames}): the fan-out writes an event within a few passes of its
   * publication, and only a replay reads it later. Without this a full history (65,536 events by
   * default) held 65,536 direct frames with their cleaners: 10 MB of heap and as much native
   * memory, all of it marked, moved and processed at every full collection.
   */
  static final int HOT = 1024;

  private final AtomicReferenceArray<EncodedEvent> slots;
  private final long maxBytes;
  private volatile long oldest = 1; // seq of the oldest kept event
  private volatile long newest = 0; // seq of the newest event; 0 before the first
  private volatile long bytes; // written by the one writer only

  HistoryRing(int maxEvents, long maxBytes) {
    this(maxEvents, maxBytes, 0);
  }

  /** An empty ring whose first event will be {@code afterSeq + 1} (a relay's, after a gap). */
  HistoryRing(int maxEvents, long maxBytes, long afterSeq) {
    if (maxEvents < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("history bounds must be positive");
    }
    this.slots = new AtomicReferenceArray<>(maxEvents);
    this.maxBytes = maxBytes;
    this.oldest = afterSeq + 1;
    this.newest = afterSeq;
  }

  /**
   * Appends the event whose seq is {@code newest() + 1}, and releases the parsed form of the one
   * before it ({@link EncodedEvent#releaseParsed}): the ring keeps bytes, and the parsed form of
   * its newest event only, which the publisher's listeners read; and the socket forms of the one
   * {@link #HOT} behind it. Called by one writer at a time.
   */
  void append(EncodedEvent e) {
    if (e.seq() != newest + 1) {
      throw new IllegalStateException("seq " + e.seq() + " after " + newest);
    }
    int capacity = slots.length();
    if (e.seq() - oldest + 1 > capacity) {
      evictOldest(capacity);
    }
    EncodedEvent previous = e.seq() > oldest ? slots.get(index(e.seq() - 1)) : null;
    if (previous != null && previous.seq() == e.seq() - 1) {
      previous.releaseParsed();
    }
    slots.set(index(e.seq()), e);
    bytes += e.size();
    newest = e.seq();
    long cooled = e.seq() - HOT;
    if (cooled >= oldest) {
      EncodedEvent c = slots.get(index(cooled));
      if (c != null && c.seq() == cooled) {
        c.releaseFrames();
      }
    }
    while (bytes > maxBytes && oldest < newest) {
      evictOldest(capacity);
    }
  }

  private void evictOldest(int capacity) {
    EncodedEvent gone = slots.get(index(oldest));
    if (gone != null && gone.seq() == oldest) {
      bytes -= gone.size();
    }
    oldest++;
  }

  /** The event with this seq, or null when it was evicted or is not yet published. */
  EncodedEvent get(long seq) {
    if (seq < oldest || seq > newest) {
      return null;
    }
    EncodedEvent e = slots.get(index(seq));
    return e != null && e.seq() == seq ? e : null;
  }

  /** Seq of the oldest event still kept (newest + 1 when empty). */
  long oldest() {
    return oldest;
  }

  long newest() {
    return newest;
  }

  /** Encoded bytes of the kept events. */
  long bytes() {
    return bytes;
  }

  int capacity() {
    return slots.length();
  }

  private int index(long seq) {
    return (int) (seq % slots.length());
  }
}
