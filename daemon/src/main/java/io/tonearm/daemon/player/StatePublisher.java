package io.tonearm.daemon.player;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputsChanged;
import io.tonearm.proto.v1.OutputsState;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.QueueSnapshot;
import io.tonearm.proto.v1.Track;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the player's changes into state-lane events, each published with its topic's full snapshot.
 * Player thread only.
 */
final class StatePublisher {

  /** Origin of what the daemon does by itself (auto-advance, errors, restore). */
  static final Origin DAEMON = Origin.getDefaultInstance();

  private final StateLane lane;
  private QueueItem lastCurrent; // the current entry of the last PlayerChanged; null for none

  StatePublisher(StateLane lane) {
    this.lane = lane;
  }

  /** Seq of the newest published event (what a query answers with). */
  long currentSeq() {
    return lane.currentSeq();
  }

  /** Seq of the newest event of {@code topic} in this player's zone (what a no-op answers with). */
  long newestSeq(Topic topic) {
    return lane.newestSeq(topic);
  }

  /**
   * Publishes a PlayerChanged; returns its seq. When the current entry is another one than in the
   * last PlayerChanged, the event carries that earlier entry as {@code previous}.
   */
  long player(PlayerState state, Cause cause, Origin origin) {
    PlayerChanged.Builder changed =
        PlayerChanged.newBuilder().setState(state).setCause(cause).setOrigin(origin);
    QueueItem now = state.hasCurrent() ? state.getCurrent() : null;
    String nowId = now == null ? "" : now.getItemId();
    if (lastCurrent != null && !lastCurrent.getItemId().equals(nowId)) {
      changed.setPrevious(lastCurrent);
    }
    lastCurrent = now;
    Envelope.Builder event = Envelope.newBuilder().setPlayer(changed);
    Envelope.Builder snapshot =
        Envelope.newBuilder()
            .setPlayer(PlayerChanged.newBuilder().setState(state).setCause(Cause.CAUSE_SNAPSHOT));
    return lane.publish(Topic.PLAYER, event, snapshot);
  }

  /** Publishes a QueueChanged carrying {@code change}; returns its seq. */
  long queue(QueueChanged.Builder change, List<QueueEntry> all, Cause cause, Origin origin) {
    List<QueueItem> items = items(all);
    change.setLength(all.size()).setCause(cause).setOrigin(origin);
    Envelope.Builder snapshot =
        Envelope.newBuilder()
            .setQueue(
                QueueChanged.newBuilder()
                    .setReplaced(QueueChanged.Replaced.newBuilder().addAllItems(items))
                    .setLength(all.size())
                    .setCause(Cause.CAUSE_SNAPSHOT));
    return lane.publish(Topic.QUEUE, Envelope.newBuilder().setQueue(change), snapshot);
  }

  /** Publishes an OutputsChanged; returns its seq. */
  long outputs(OutputsState state, Cause cause, Origin origin) {
    Envelope.Builder event =
        Envelope.newBuilder()
            .setOutputs(
                OutputsChanged.newBuilder().setState(state).setCause(cause).setOrigin(origin));
    Envelope.Builder snapshot =
        Envelope.newBuilder()
            .setOutputs(OutputsChanged.newBuilder().setState(state).setCause(Cause.CAUSE_SNAPSHOT));
    return lane.publish(Topic.OUTPUTS, event, snapshot);
  }

  static QueueSnapshot snapshot(List<QueueEntry> all) {
    return QueueSnapshot.newBuilder().addAllItems(items(all)).build();
  }

  static List<QueueItem> items(List<QueueEntry> entries) {
    List<QueueItem> out = new ArrayList<>(entries.size());
    for (QueueEntry e : entries) {
      out.add(item(e));
    }
    return out;
  }

  static QueueItem item(QueueEntry e) {
    Track.Builder t = Track.newBuilder().setPath(e.relative);
    String fileName = e.file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String title = dot > 0 ? fileName.substring(0, dot) : fileName;
    if (e.track != null) {
      t.setTrackId(e.track.trackId())
          .setArtist(e.track.artist())
          .setAlbum(e.track.album())
          .setTitle(e.track.title().isEmpty() ? title : e.track.title());
    } else {
      t.setTitle(title);
    }
    t.setDurationMs(e.durationMs());
    if (e.format != null) {
      t.setSampleRate(e.format.sampleRate())
          .setChannels(e.format.channels())
          .setCodec(e.format.codec())
          .setBitsPerSample(Math.max(0, e.format.bitsPerSample()));
    }
    return QueueItem.newBuilder().setItemId(e.itemId()).setTrack(t).setPriority(e.priority).build();
  }
}
