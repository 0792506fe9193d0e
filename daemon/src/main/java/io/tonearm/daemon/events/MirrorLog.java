package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A relay's copy of the origin's state lane: the origin's epoch, seqs and encoded events, appended
 * in order by one follower (the Redis stream reader), and the newest snapshot cut it has read. The
 * event socket reads it exactly as it reads the origin's {@link EventHub}, so resume, snapshots and
 * the exactly-once rules are the same code.
 *
 * <p>Snapshots: the origin writes a cut (every topic's snapshot as of one seq, or the ones that
 * changed since the last cut) into the stream in order with the events. A snapshot of topic T from
 * the cut at seq C is still T's state at the head H when no event of T came in (C, H]; a start is
 * then stamped H, as the origin would. Otherwise it is stamped C and the client replays (C, H] from
 * this history: the same state, reached by more events.
 *
 * <p>Seqs the origin gave to events this relay does not carry (another zone's) are held as empty
 * placeholders no client wants, so the history stays indexed by seq.
 *
 * <p>One writer thread; readers (event loops) do not block on the history.
 */
public final class MirrorLog implements StateLog {

  /**
   * How far ahead of this relay's head a resume point may be and still be a replay: a client that
   * comes from the origin (or a relay further along) has seqs this relay is about to receive.
   */
  public static final long MAX_RESUME_AHEAD = 65_536;

  /** Told on the writer thread; must only schedule work. */
  public interface Listener {
    /** New events were appended. */
    void appended();

    /**
     * The history started over: after a gap in the stream ({@code newEpoch} false: connections
     * whose position fell into it find their next event gone) or in a new epoch of the origin
     * (every connection's position means nothing now).
     */
    void restarted(boolean newEpoch);
  }

  private static final Envelope PLACEHOLDER = Envelope.getDefaultInstance();

  private final int maxEvents;
  private final long maxBytes;
  private final LongSupplier clockMicros;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile String epoch = "";
  private volatile HistoryRing history;
  private volatile long seq;
  private long totalBytes;
  private final long[] lastEvent = new long[Topic.values().length]; // guarded by lock
  private final Map<EventHub.Key, EncodedEvent> snapshots = new java.util.LinkedHashMap<>();
  private final Map<EventHub.Key, EncodedEvent> stamped = new java.util.HashMap<>();
  private volatile long cutSeq = -1; // -1 until a complete cut arrives

  /**
   * @param maxEvents history bound in events (placeholders count)
   * @param maxBytes history bound in encoded bytes
   * @param clockMicros this relay's wall clock, microseconds since the Unix epoch
   */
  public MirrorLog(int maxEvents, long maxBytes, LongSupplier clockMicros) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.clockMicros = clockMicros;
    this.history = new HistoryRing(maxEvents, maxBytes, 0);
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Starts the history over in {@code newEpoch} after {@code afterSeq}: the next event appended is
   * {@code afterSeq + 1}. In a new epoch the snapshots are dropped too; after a gap in the same
   * epoch the cut is kept only if it is at {@code afterSeq} (no event it misses). Writer only.
   */
  public void restart(String newEpoch, long afterSeq) {
    boolean changed;
    synchronized (lock) {
      changed = !newEpoch.equals(epoch);
      history = new HistoryRing(maxEvents, maxBytes, afterSeq);
      seq = afterSeq;
      if (changed) {
        snapshots.clear();
        java.util.Arrays.fill(lastEvent, 0);
        cutSeq = -1;
      } else if (cutSeq != afterSeq) {
        cutSeq = -1;
      }
      stamped.clear();
      epoch = newEpoch;
    }
    for (Listener l : listeners) {
      l.restarted(changed);
    }
  }

  /**
   * Appends the origin's event {@code e}, whose seq must be above the head; the seqs between (other
   * zones') become placeholders. Writer only; listeners are told by {@link #flush}.
   */
  public void append(EncodedEvent e) {
    synchronized (lock) {
      if (e.seq() <= seq) {
        throw new IllegalStateException("seq " + e.seq() + " after " + seq);
      }
      while (seq + 1 < e.seq()) {
        add(new EncodedEvent(seq + 1, null, PLACEHOLDER));
      }
      add(e);
      if (e.topic() != null) {
        lastEvent[e.topic().ordinal()] = e.seq();
      }
    }
  }

  private void add(EncodedEvent e) {
    totalBytes += e.size();
    e.cumulativeBytes(totalBytes);
    history.append(e);
    seq = e.seq();
  }

  /** Tells the listeners that events were appended since the last call. Writer only. */
  public void flush() {
    for (Listener l : listeners) {
      l.appended();
    }
  }

  /**
   * Takes a snapshot cut at {@code atSeq} (at most the head): {@code changed} replaces those
   * topics' snapshots (unstamped envelopes). A {@code complete} cut carries every topic and makes
   * the log ready; a partial one before the first complete one is ignored. Writer only.
   */
  public void cut(long atSeq, Map<EventHub.Key, EncodedEvent> changed, boolean complete) {
    synchronized (lock) {
      if (!complete && cutSeq < 0) {
        return;
      }
      if (complete) {
        snapshots.clear();
      }
      snapshots.putAll(changed);
      changed.keySet().forEach(stamped::remove);
      cutSeq = atSeq;
    }
  }

  /** True when the newest cut holds a snapshot of {@code topic} in {@code zone} (any thread). */
  public boolean hasSnapshot(Topic topic, String zone) {
    synchronized (lock) {
      return snapshots.containsKey(new EventHub.Key(topic, zone));
    }
  }

  /** True once a complete snapshot cut has arrived in this epoch: clients can be started. */
  public boolean ready() {
    return cutSeq >= 0;
  }

  /** Seq of the newest snapshot cut, -1 before the first. */
  public long cutSeq() {
    return cutSeq;
  }

  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public long currentSeq() {
    return seq;
  }

  @Override
  public EncodedEvent event(long s) {
    return history.get(s);
  }

  /** Seq of the oldest event held. */
  public long oldestSeq() {
    return history.oldest();
  }

  public long historyBytes() {
    return history.bytes();
  }

  public long historyEvents() {
    HistoryRing h = history;
    return Math.max(0, h.newest() - h.oldest() + 1);
  }

  @Override
  public long clockMicros() {
    return clockMicros.getAsLong();
  }

  @Override
  public EventHub.Start start(
      Set<Topic> topics, EventHub.ZoneFilter zones, String resumeEpoch, long resumeSeq) {
    synchronized (lock) {
      if (epoch.equals(resumeEpoch)
          && resumeSeq >= 0
          && resumeSeq >= history.oldest() - 1
          && resumeSeq <= seq + MAX_RESUME_AHEAD) {
        return new EventHub.Start(true, resumeSeq, List.of());
      }
      long at = currentAtHead(topics) ? seq : Math.max(cutSeq, 0);
      List<EncodedEvent> out = new ArrayList<>();
      // In the origin's order: by topic, each topic's zones as their snapshots were first set.
      for (Topic t : Topic.values()) {
        if (!topics.contains(t) || t.lane() != Topic.Lane.STATE) {
          continue;
        }
        for (Map.Entry<EventHub.Key, EncodedEvent> e : snapshots.entrySet()) {
          EventHub.Key k = e.getKey();
          if (k.topic() != t || !zones.test(t, k.zone())) {
            continue;
          }
          EncodedEvent s = stamped.get(k);
          if (s == null || s.seq() != at) {
            Envelope env =
                e.getValue().envelope().toBuilder()
                    .setSeq(at)
                    .setServerTimeUs(clockMicros())
                    .build();
            s = new EncodedEvent(at, t, env);
            stamped.put(k, s);
          }
          out.add(s);
        }
      }
      return new EventHub.Start(false, at, out);
    }
  }

  @Override
  public boolean snapshotsBehind(Set<Topic> topics, long position) {
    synchronized (lock) {
      return !currentAtHead(topics) && cutSeq + 1 < position;
    }
  }

  /** True when no event of {@code topics} came after the cut. Called with the lock held. */
  private boolean currentAtHead(Set<Topic> topics) {
    for (Topic t : topics) {
      if (lastEvent[t.ordinal()] > cutSeq) {
        return false;
      }
    }
    return true;
  }
}
