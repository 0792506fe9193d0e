package io.tonearm.daemon.relay;

import io.lettuce.core.XAddArgs;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.Topic;
import java.util.HashMap;
import java.util.Map;

/**
 * The origin's bookkeeping for one zone's stream {@code tonearm:{zone}:events}: which of the hub's
 * events and snapshots belong in it, the seq of the last event entry written (the next entry's
 * {@code p}), the snapshots its last cut carried and the ones changed since, and the sizes of its
 * newest entries for trimming by bytes. Used by the publisher's thread only.
 *
 * <p>What a zone's stream carries is exactly what a socket following the zone may be sent: the
 * zone's own events, the shared topics' (zone "") and every zone's events of topic {@code zones}
 * (each socket then shows those only for the zones its token may use, as at the origin). So a relay
 * serves a zone from that one stream, in the origin's seq order, and the resume contract ({@code
 * epoch:seq}) is the origin's.
 */
final class ZoneStream {

  final String zone;
  final String key;
  final String hashKey;

  /** Next seq to consider; events below it are in the stream already. */
  long next;

  /** Seq of the last event entry written, 0 for none in this epoch, -1 after a gap. */
  long prev;

  /** The snapshots the stream's cuts carry so far (a full cut first, after each (re)connect). */
  private final Map<EventHub.Key, EncodedEvent> written = new HashMap<>();

  /** Snapshots changed since the last cut; the next cut writes them. */
  final Map<EventHub.Key, EncodedEvent> dirty = new HashMap<>();

  /** True when the next cut must carry every topic (a new stream, a reconnect, a removed key). */
  boolean full = true;

  long nextCutNanos;

  private final int maxEvents;
  private final long maxBytes;
  private long[] sizes = new long[64]; // newest entries' sizes, a ring growing up to maxEvents
  private int sizeHead;
  private int sizeCount;
  private long sizeSum;

  ZoneStream(String zone, int maxEvents, long maxBytes) {
    this.zone = zone;
    this.key = StreamFormat.events(zone);
    this.hashKey = StreamFormat.snapshot(zone);
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** True when an event or snapshot of {@code topic} in {@code eventZone} belongs here. */
  boolean carries(Topic topic, String eventZone) {
    return eventZone.isEmpty() || eventZone.equals(zone) || topic == Topic.ZONES;
  }

  boolean carries(EventHub.Key k) {
    return carries(k.topic(), k.zone());
  }

  /** Starts the cuts over: the next one carries every topic. */
  void resetCuts() {
    written.clear();
    dirty.clear();
    full = true;
    nextCutNanos = 0;
  }

  /**
   * The snapshots the next cut writes, from the hub's current ones: every one carried here when
   * {@link #full}, else the changed ones.
   */
  Map<EventHub.Key, EncodedEvent> cutBody(Map<EventHub.Key, EncodedEvent> current) {
    if (!full) {
      return new HashMap<>(dirty);
    }
    Map<EventHub.Key, EncodedEvent> all = new HashMap<>();
    for (Map.Entry<EventHub.Key, EncodedEvent> e : current.entrySet()) {
      if (carries(e.getKey())) {
        all.put(e.getKey(), e.getValue());
      }
    }
    return all;
  }

  /** Records a cut written with {@code body}. */
  void cutWritten(Map<EventHub.Key, EncodedEvent> body, boolean wasFull, long nowNanos, long gap) {
    if (wasFull) {
      written.clear();
    }
    written.putAll(body);
    dirty.clear();
    full = false;
    nextCutNanos = nowNanos + gap;
  }

  /**
   * Takes note of the hub's snapshots at a round: changed ones become dirty; one that is gone (a
   * removed zone's) makes the next cut full, since a partial cut cannot say "gone".
   */
  void compare(Map<EventHub.Key, EncodedEvent> current) {
    if (full) {
      return;
    }
    for (Map.Entry<EventHub.Key, EncodedEvent> e : current.entrySet()) {
      if (carries(e.getKey()) && written.get(e.getKey()) != e.getValue()) {
        dirty.put(e.getKey(), e.getValue());
      }
    }
    for (EventHub.Key k : written.keySet()) {
      if (!current.containsKey(k)) {
        full = true;
        return;
      }
    }
  }

  /** XADD's trim: about the newest entries that fit both bounds, counting this one. */
  XAddArgs trim(long size) {
    while (sizeCount > 0 && (sizeCount >= maxEvents || sizeSum + size > maxBytes)) {
      int oldest = Math.floorMod(sizeHead - sizeCount, sizes.length);
      sizeSum -= sizes[oldest];
      sizeCount--;
    }
    if (sizeCount == sizes.length) {
      grow();
    }
    sizes[sizeHead] = size;
    sizeHead = (sizeHead + 1) % sizes.length;
    sizeCount++;
    sizeSum += size;
    return XAddArgs.Builder.maxlen(sizeCount).approximateTrimming();
  }

  /** Doubles the ring (up to maxEvents entries), keeping the entries in order. */
  private void grow() {
    long[] bigger = new long[Math.min(Math.max(64, sizes.length * 2), Math.max(maxEvents, 64))];
    for (int i = 0; i < sizeCount; i++) {
      bigger[i] = sizes[Math.floorMod(sizeHead - sizeCount + i, sizes.length)];
    }
    sizes = bigger;
    sizeHead = sizeCount % sizes.length;
  }
}
