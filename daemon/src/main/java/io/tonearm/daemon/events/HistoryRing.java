package io.tonearm.daemon.events;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state lane's history: the newest events by seq, bounded by count and by encoded bytes.
 *
 * <p>One writer (the hub, under its lock) appends; any thread reads without locking. A reader asks
 * for a seq and gets the event or null when it has been evicted (or not yet published).
 *
 * <p>Only the newest {@link #HOT} events are kept as {@link EncodedEvent} objects (the fan-out
 * writes them within a few passes of their publication). Every event's binary encoding is also
 * copied into a few large reused direct buffers ({@link #SLAB} bytes each), and its place, size and
 * topic into an index of direct pages; a read of an older event (a resume's replay) gets a new
 * event made from a copy of those bytes. A full history of 65,536 events was 65,536 objects with an
 * array each that lived long enough to be promoted, and while it filled the old generation grew
 * with it: under the README's heap settings (a heap kept at 10 % free) that was a full collection
 * every ~2 MB of history, and once it was full every evicted event was garbage only a full
 * collection reclaimed. Outside the heap the history neither grows the heap nor leaves garbage in
 * it.
 *
 * <p>Readers check after their copy that the seq was not evicted meanwhile (the writer moves {@link
 * #oldest} past an event before it reuses its bytes or its index entry), as a seqlock does.
 */
final class HistoryRing {

  /**
   * Events this far behind the newest (or further) are no longer held as objects: {@link #get}
   * makes them again from their bytes (without the parsed form or the socket forms, made again on
   * demand, the same bytes). Within it a fan-out pass's sessions share one object per event, and so
   * one frame, also after a burst of events.
   */
  static final int HOT = 1024;

  /** Bytes of one reused array of encoded events; an event larger than this gets its own. */
  static final int SLAB = 64 * 1024;

  /** Index entries per page of the index (pages are made when first written). */
  private static final int PAGE = 1024;

  private static final Topic[] TOPICS = Topic.values();

  /** One reused buffer, its number in {@link #table}, and the newest seq whose bytes it holds. */
  private static final class Slab {
    final ByteBuffer data;
    final int id;
    int used;
    long last;

    Slab(int size, int id) {
      this.data = ByteBuffer.allocateDirect(size);
      this.id = id;
    }
  }

  /**
   * Index entries of {@link #PAGE} consecutive slots, {@link #ENTRY} bytes each: the encoded bytes'
   * cumulative count (long), place in its slab (int), size (int), slab number (int), topic ordinal
   * + 1 (byte; 0 for none, a relay's placeholder). Zones are kept as the one instance per name.
   */
  private static final class Page {
    final ByteBuffer entries = ByteBuffer.allocateDirect(PAGE * ENTRY);
    final String[] zone = new String[PAGE];
  }

  private static final int ENTRY = 24;

  private final int capacity;
  private final long maxBytes;
  private final AtomicReferenceArray<EncodedEvent> hot;
  private final Page[] pages;

  /** Slabs by number, for readers: a number is given again only after its slab was let go. */
  private volatile ByteBuffer[] table = new ByteBuffer[4];

  /** Slabs holding kept events' bytes, oldest first; the last one is written. Writer only. */
  private final ArrayDeque<Slab> slabs = new ArrayDeque<>();

  /** A slab no kept event uses, taken before a new one is made. Writer only. */
  private Slab spare;

  /** Slabs made so far (tests). Writer only. */
  private int made;

  /** One instance per zone name, so the index does not keep a copy per event. Writer only. */
  private final Map<String, String> zones = new HashMap<>();

  /** The instance the last event's zone was kept as. Writer only. */
  private String lastZone;

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
    this.capacity = maxEvents;
    this.maxBytes = maxBytes;
    this.hot = new AtomicReferenceArray<>(Math.min(HOT, maxEvents));
    this.pages = new Page[(maxEvents + PAGE - 1) / PAGE];
    this.oldest = afterSeq + 1;
    this.newest = afterSeq;
  }

  /**
   * Appends the event whose seq is {@code newest() + 1}, and releases the parsed form of the one
   * before it ({@link EncodedEvent#releaseParsed}): the publisher's listeners read the newest
   * event's; the others are read as bytes. Called by one writer at a time.
   */
  void append(EncodedEvent e) {
    long seq = e.seq();
    if (seq != newest + 1) {
      throw new IllegalStateException("seq " + seq + " after " + newest);
    }
    byte[] b = e.binary();
    int n = b.length;
    // Room first, by count and by bytes, so that no kept event's bytes or entry are overwritten;
    // the new event is kept even when it alone is over the byte bound.
    long keep = oldest;
    long kept = bytes;
    while (keep < seq && (seq - keep + 1 > capacity || kept + n > maxBytes)) {
      kept -= length(keep);
      keep++;
    }
    if (keep != oldest) {
      oldest = keep;
      bytes = kept;
      // The writes below may reuse what the evicted events used: a reader that copies them must
      // see the new oldest when it checks (it fences before its check).
      VarHandle.releaseFence();
      retire(keep);
    }
    Slab s = slabFor(n);
    s.data.put(s.used, b, 0, n);
    int slot = slot(seq);
    Page p = pages[slot / PAGE];
    if (p == null) {
      p = new Page();
      pages[slot / PAGE] = p;
    }
    int i = slot % PAGE;
    int at = i * ENTRY;
    p.entries
        .putLong(at, e.cumulativeBytes())
        .putInt(at + 8, s.used)
        .putInt(at + 12, n)
        .putInt(at + 16, s.id)
        .put(at + 20, (byte) (e.topic() == null ? 0 : e.topic().ordinal() + 1));
    String zone = e.zone();
    if (zone != lastZone) { // the same instance as the event before, as a rule: no lookup
      zone = zones.computeIfAbsent(zone, z -> z);
      if (zones.size() > 64) {
        zones.clear(); // zones come and go: keep the map small; kept entries keep their instance
      }
      lastZone = zone;
    }
    p.zone[i] = zone;
    s.used += n;
    s.last = seq;
    EncodedEvent previous = hot.get(hotIndex(seq - 1));
    if (previous != null && previous.seq() == seq - 1) {
      previous.releaseParsed();
    }
    hot.set(hotIndex(seq), e);
    bytes += n;
    newest = seq;
  }

  /** A slab with room for {@code n} more bytes at its {@code used}, the last of {@link #slabs}. */
  private Slab slabFor(int n) {
    Slab last = slabs.peekLast();
    if (last != null && last.data.capacity() - last.used >= n) {
      return last;
    }
    Slab s;
    if (n <= SLAB && spare != null) {
      s = spare;
      spare = null;
      s.used = 0;
    } else {
      s = new Slab(Math.max(n, SLAB), freeId());
      made++;
      table[s.id] = s.data;
    }
    slabs.addLast(s);
    return s;
  }

  /** A slab number no kept event's entry names, the table grown if none is free. Writer only. */
  private int freeId() {
    ByteBuffer[] t = table;
    for (int id = 0; id < t.length; id++) {
      if (t[id] == null && (spare == null || spare.id != id)) {
        return id;
      }
    }
    table = java.util.Arrays.copyOf(t, t.length * 2);
    return t.length;
  }

  /** Lets go of the slabs before the last whose events are all older than {@code keep}. */
  private void retire(long keep) {
    while (slabs.size() > 1 && slabs.peekFirst().last < keep) {
      Slab s = slabs.pollFirst();
      if (s.data.capacity() == SLAB && spare == null) {
        spare = s; // keeps its number
      } else {
        table[s.id] = null; // its memory goes with the buffer; the number is free
      }
    }
  }

  /** Encoded size of kept event {@code seq}. Writer only. */
  private int length(long seq) {
    int slot = slot(seq);
    return pages[slot / PAGE].entries.getInt(slot % PAGE * ENTRY + 12);
  }

  /** The event with this seq, or null when it was evicted or is not yet published. */
  EncodedEvent get(long seq) {
    if (seq < oldest || seq > newest) {
      return null;
    }
    EncodedEvent e = hot.get(hotIndex(seq));
    if (e != null && e.seq() == seq) {
      return e;
    }
    int slot = slot(seq);
    Page p = pages[slot / PAGE];
    int i = slot % PAGE;
    int at = i * ENTRY;
    long cumulative = p.entries.getLong(at);
    int offset = p.entries.getInt(at + 8);
    int n = p.entries.getInt(at + 12);
    int id = p.entries.getInt(at + 16);
    int topic = p.entries.get(at + 20);
    String zone = p.zone[i];
    ByteBuffer[] t = table;
    ByteBuffer data = id >= 0 && id < t.length ? t[id] : null;
    byte[] copy = null;
    if (data != null && n >= 0 && offset >= 0 && offset <= data.capacity() - n) {
      copy = new byte[n];
      data.get(offset, copy, 0, n);
    }
    // Whatever was read above is this seq's only if the writer had not evicted it by now.
    VarHandle.acquireFence();
    if (seq < oldest) {
      return null;
    }
    if (copy == null || topic < 0 || topic > TOPICS.length) {
      throw new IllegalStateException("history entry " + seq + " is not where it was kept");
    }
    return EncodedEvent.ofHistory(
        seq, topic == 0 ? null : TOPICS[topic - 1], zone, copy, cumulative);
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
    return capacity;
  }

  /** Slabs the kept events' bytes are in (tests). Writer's thread only. */
  int slabs() {
    return slabs.size();
  }

  /** Slabs made so far, reused ones not counted again (tests). Writer's thread only. */
  int slabsMade() {
    return made;
  }

  private int slot(long seq) {
    return (int) (seq % capacity);
  }

  private int hotIndex(long seq) {
    return (int) (seq % hot.length());
  }
}
