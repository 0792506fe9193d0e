package io.tonearm.daemon.events;

import java.util.Set;

/**
 * The state lane as the event socket reads it: an epoch, a seq, a bounded history by seq, and where
 * a (re)subscribing client starts. The origin's {@link EventHub} is one; a relay's {@link
 * MirrorLog}, fed from the origin through Redis, is the other, with the origin's epoch and seqs.
 *
 * <p>Thread-safe; reads of the history do not block.
 */
public interface StateLog {

  /** The epoch the seqs belong to (the origin's run). */
  String epoch();

  /** Seq of the newest event held; 0 before the first. */
  long currentSeq();

  /** The event with this seq, or null when it left the history or has not arrived. */
  EncodedEvent event(long seq);

  /**
   * Decides where a subscriber starts: a replay after {@code resumeSeq} ({@code recovered}), or the
   * snapshots of {@code topics} it may see ({@code zones}) stamped with the returned seq.
   *
   * @param resumeEpoch the epoch the client last saw, or null
   * @param resumeSeq the last seq the client has
   */
  EventHub.Start start(
      Set<Topic> topics, EventHub.ZoneFilter zones, String resumeEpoch, long resumeSeq);

  /** Server wall clock, microseconds since the Unix epoch. */
  long clockMicros();

  /**
   * True when a start for {@code topics} now would stamp snapshots below {@code position} (the next
   * seq a connection is owed), so that a connection already past it must wait and ask again. Never
   * on the origin, whose snapshots are always current; on a relay while its newest snapshot cut is
   * older than the events of those topics it has passed on.
   */
  default boolean snapshotsBehind(Set<Topic> topics, long position) {
    return false;
  }

  /**
   * The log a socket following {@code zone} reads: the origin's hub holds every zone (each socket
   * skips what it may not see); a relay keeps one mirror per zone it serves. The zone exists and,
   * on a relay, is followed (the socket was admitted).
   */
  default StateLog forZone(String zone) {
    return this;
  }
}
