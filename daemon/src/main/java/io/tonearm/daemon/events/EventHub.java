package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The state lane: gives every event its seq within this run's epoch, encodes it once, keeps it in
 * the history ring, keeps each topic's current snapshot, and tells listeners (the socket fan-out)
 * that there is something new. It never writes to sockets itself.
 *
 * <p>Publishing is serialized by one lock; reads of the history are lock-free.
 */
public final class EventHub implements StateLane, StateLog {

  /** Told after each publish; called with the hub's lock held, so it must only schedule work. */
  public interface Listener {
    void published(EncodedEvent event);
  }

  /** Where a (re)subscribing client starts: a replay from history, or snapshots at a seq. */
  public record Start(boolean recovered, long seq, List<EncodedEvent> snapshots) {}

  private final String epoch;

  /**
   * The epoch's UTF-8, set on every event and snapshot: a string field set as a {@code String} is
   * encoded to UTF-8 again for its size and again for its bytes at each encoding.
   */
  private final com.google.protobuf.ByteString epochBytes;

  private final HistoryRing history;
  private final LongSupplier clockMicros;

  /** Each (topic, zone)'s current snapshot; zone "" for the shared topics. */
  private final Map<Key, EncodedEvent> snapshots = new LinkedHashMap<>();

  /** Each snapshot stamped with a seq, encoded once for every subscriber at that seq. */
  private final Map<Key, EncodedEvent> stamped = new HashMap<>();

  /** Seq of each (topic, zone)'s newest event; under {@link #lock}. */
  private final Map<Key, long[]> newest = new HashMap<>();

  /** A topic in a zone ("" for a shared topic): what a snapshot is kept by. */
  public record Key(Topic topic, String zone) {
    // Written out: a record's own equals and hashCode run through method handles that C1, the
    // README's only JIT, calls slowly, and every published event looks its key up.
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && topic == k.topic && java.util.Objects.equals(zone, k.zone);
    }

    @Override
    public int hashCode() {
      // The topic's ordinal, not its hashCode: an enum's is the identity hash, a native call under
      // C1 (two keys are hashed per published event).
      return 31 * topic.ordinal() + java.util.Objects.hashCode(zone);
    }
  }

  /**
   * Which snapshots a subscriber gets: {@code test(topic, zone)} is true for the (topic, zone)
   * pairs it may see. Shared topics have zone "".
   */
  @FunctionalInterface
  public interface ZoneFilter {
    boolean test(Topic topic, String zone);

    /** Every zone: a subscriber that is not limited (tests, the daemon's own listeners). */
    ZoneFilter ALL = (t, z) -> true;
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final WakeHold wakes = new WakeHold();
  private final Object lock = new Object();
  private volatile long seq;
  private long totalBytes;

  /**
   * @param maxEvents history bound in events
   * @param maxBytes history bound in encoded bytes
   * @param clockMicros server wall clock in microseconds since the Unix epoch
   */
  public EventHub(int maxEvents, long maxBytes, LongSupplier clockMicros) {
    this.epoch = newEpoch();
    this.epochBytes = com.google.protobuf.ByteString.copyFromUtf8(epoch);
    this.history = new HistoryRing(maxEvents, maxBytes);
    this.clockMicros = clockMicros;
  }

  private static String newEpoch() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** This run's random epoch id. */
  @Override
  public String epoch() {
    return epoch;
  }

  @Override
  public long clockMicros() {
    return clockMicros.getAsLong();
  }

  /** The hold {@link #holdingWakes} uses; listeners that wake event loops wake through it. */
  public WakeHold wakes() {
    return wakes;
  }

  @Override
  public Runnable holdingWakes(Runnable task) {
    return wakes.holding(task);
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** Publishes in the "default" zone for a {@link Topic#zoned} topic, else as a shared event. */
  @Override
  public long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
    return publish(topic.zoned() ? ZoneId.DEFAULT : "", topic, event, snapshot);
  }

  /**
   * The state lane of one zone: every event published through it carries {@code Envelope.zone =
   * zone}, and its snapshots are kept apart from other zones' (see {@link #start}).
   */
  public StateLane zone(String zone) {
    EventHub hub = this;
    return new StateLane() {
      @Override
      public long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
        return hub.publish(zone, topic, event, snapshot);
      }

      @Override
      public long currentSeq() {
        return hub.currentSeq();
      }

      @Override
      public long newestSeq(Topic topic) {
        return hub.newestSeq(zone, topic);
      }

      @Override
      public Runnable holdingWakes(Runnable task) {
        return hub.holdingWakes(task);
      }
    };
  }

  /**
   * Forgets a removed zone's snapshots (its events stay in the history until they age out; they
   * reach only subscribers of that zone, and those are closed when it is removed).
   */
  public void dropZone(String zone) {
    synchronized (lock) {
      snapshots.keySet().removeIf(k -> k.zone().equals(zone));
      stamped.keySet().removeIf(k -> k.zone().equals(zone));
      newest.keySet().removeIf(k -> k.zone().equals(zone));
    }
  }

  /**
   * {@link #publish(Topic, Envelope.Builder, Envelope.Builder)} for zone {@code zone} ("" for a
   * shared topic).
   */
  public long publish(String zone, Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
    if (topic.lane() != Topic.Lane.STATE) {
      throw new IllegalArgumentException(topic + " is not a state topic");
    }
    synchronized (lock) {
      long s = seq + 1;
      long now = clockMicros.getAsLong();
      Envelope env =
          event
              .setSeq(s)
              .setEpochBytes(epochBytes)
              .setServerTimeUs(now)
              .setStream("")
              .setZone(zone)
              .build();
      EncodedEvent encoded = new EncodedEvent(s, topic, env);
      totalBytes += encoded.size();
      encoded.cumulativeBytes(totalBytes);
      history.append(encoded);
      // A snapshot is not an event: it carries the seq it is current as of, set when it is sent.
      if (snapshot != null) {
        snapshots.put(
            new Key(topic, zone),
            EncodedEvent.snapshot(topic, snapshot.setEpochBytes(epochBytes).setZone(zone).build()));
      }
      newest.computeIfAbsent(new Key(topic, zone), k -> new long[1])[0] = s;
      seq = s;
      for (Listener l : listeners) {
        l.published(encoded);
      }
      return s;
    }
  }

  /**
   * Sets a topic's snapshot without publishing an event: its state at start, before any change
   * ("default" zone's for a {@link Topic#zoned} topic).
   */
  public void initSnapshot(Topic topic, Envelope.Builder snapshot) {
    initSnapshot(topic.zoned() ? ZoneId.DEFAULT : "", topic, snapshot);
  }

  /** {@link #initSnapshot(Topic, Envelope.Builder)} of a topic in zone {@code zone}. */
  public void initSnapshot(String zone, Topic topic, Envelope.Builder snapshot) {
    synchronized (lock) {
      snapshots.putIfAbsent(
          new Key(topic, zone),
          EncodedEvent.snapshot(topic, snapshot.setEpoch(epoch).setZone(zone).build()));
    }
  }

  @Override
  public long currentSeq() {
    return seq;
  }

  /** Of the "default" zone for a {@link Topic#zoned} topic, else of the shared topic. */
  @Override
  public long newestSeq(Topic topic) {
    return newestSeq(topic.zoned() ? ZoneId.DEFAULT : "", topic);
  }

  /**
   * Seq of the newest event of {@code topic} in {@code zone} ("" for a shared topic); 0 for none.
   */
  public long newestSeq(String zone, Topic topic) {
    synchronized (lock) {
      long[] n = newest.get(new Key(topic, zone));
      return n == null ? 0 : n[0];
    }
  }

  /**
   * Decides where a subscriber starts. With {@code resume} naming this epoch and a seq still in the
   * history (or the current seq), the subscriber replays from there ({@code recovered}); otherwise
   * it gets the snapshots of {@code topics} as of the returned seq, each stamped with that seq.
   *
   * @param resumeEpoch the epoch the client last saw, or null
   * @param resumeSeq the last seq the client has
   */
  public Start start(Set<Topic> topics, String resumeEpoch, long resumeSeq) {
    return start(topics, ZoneFilter.ALL, resumeEpoch, resumeSeq);
  }

  /**
   * {@link #start(Set, String, long)} for a subscriber that sees only the (topic, zone) pairs
   * {@code zones} lets through: the snapshots are those of {@code topics} it may see, in the order
   * the topics' order, each topic's zones in the order they were first set.
   */
  @Override
  public Start start(Set<Topic> topics, ZoneFilter zones, String resumeEpoch, long resumeSeq) {
    synchronized (lock) {
      if (epoch.equals(resumeEpoch)
          && resumeSeq <= seq
          && resumeSeq >= history.oldest() - 1
          && resumeSeq >= 0) {
        return new Start(true, resumeSeq, List.of());
      }
      List<EncodedEvent> out = new ArrayList<>();
      for (Topic t : Topic.values()) {
        if (topics.contains(t) && t.lane() == Topic.Lane.STATE) {
          for (Map.Entry<Key, EncodedEvent> entry : snapshots.entrySet()) {
            Key k = entry.getKey();
            if (k.topic() == t && zones.test(t, k.zone())) {
              out.add(stamp(k, entry.getValue()));
            }
          }
        }
      }
      return new Start(false, seq, out);
    }
  }

  /** The snapshot stamped with the current seq (once per seq). Called with the lock held. */
  private EncodedEvent stamp(Key k, EncodedEvent snap) {
    EncodedEvent s = stamped.get(k);
    if (s == null || s.seq() != seq) {
      // server_time_us is when the snapshot was first stamped at this seq.
      Envelope env =
          snap.envelope().toBuilder().setSeq(seq).setServerTimeUs(clockMicros.getAsLong()).build();
      s = new EncodedEvent(seq, k.topic(), env);
      stamped.put(k, s);
    }
    return s;
  }

  /** The event with this seq, or null when it left the history or is not published yet. */
  @Override
  public EncodedEvent event(long s) {
    return history.get(s);
  }

  /**
   * Every topic's current snapshot (unstamped, seq 0) and the seq they are all current at, taken at
   * one moment: what a relay needs to start its clients where the origin would. The snapshots are
   * the hub's own encoded values (the same object while a topic does not change).
   */
  public record Cut(long seq, java.util.Map<Key, EncodedEvent> snapshots) {}

  /** The snapshots as of the current seq, taken under the publishing lock. */
  public Cut cut() {
    synchronized (lock) {
      return new Cut(seq, java.util.Map.copyOf(snapshots));
    }
  }

  /** Seq of the oldest event in history. */
  public long oldestSeq() {
    return history.oldest();
  }

  /** Events and bytes the history holds, and its event capacity, for /health and /metrics. */
  public long historyBytes() {
    return history.bytes();
  }

  public long historyEvents() {
    return Math.max(0, history.newest() - history.oldest() + 1);
  }

  public int historyCapacity() {
    return history.capacity();
  }
}
