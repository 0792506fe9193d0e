package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleBusTest {

  final IdleBus bus = new IdleBus(new TrackIndex(null, null));
  final List<Integer> masks = new ArrayList<>();
  long seq;

  IdleBusTest() {
    bus.subscribe(masks::add);
  }

  void publish(Topic t, Envelope.Builder e) {
    bus.published(new EncodedEvent(++seq, t, e.build()));
  }

  void player(PlayerState.Builder s, Cause cause) {
    publish(
        Topic.PLAYER,
        Envelope.newBuilder().setPlayer(PlayerChanged.newBuilder().setState(s).setCause(cause)));
  }

  void queue(QueueChanged.Builder q) {
    publish(Topic.QUEUE, Envelope.newBuilder().setQueue(q));
  }

  static QueueItem item(String id) {
    return QueueItem.newBuilder().setItemId(id).build();
  }

  int last() {
    return masks.get(masks.size() - 1);
  }

  @Test
  void playerChangesMapToPlayerMixerAndOptions() {
    PlayerState.Builder s = PlayerState.newBuilder().setVolume(50);
    player(s, Cause.CAUSE_RESTORE);
    player(s.clone().setVolume(40), Cause.CAUSE_COMMAND);
    assertEquals(List.of("mixer"), IdleBus.names(last()));
    player(s.clone().setVolume(40).setShuffle(true), Cause.CAUSE_COMMAND);
    assertEquals(List.of("options"), IdleBus.names(last()));
    player(
        s.clone().setVolume(40).setShuffle(true).setState(PlaybackState.PLAYBACK_STATE_PLAYING),
        Cause.CAUSE_COMMAND);
    assertEquals(List.of("player"), IdleBus.names(last()));
    int before = masks.size();
    player(
        s.clone().setVolume(40).setShuffle(true).setState(PlaybackState.PLAYBACK_STATE_PLAYING),
        Cause.CAUSE_SEEK);
    assertEquals(List.of("player"), IdleBus.names(masks.get(before)));
  }

  @Test
  void queueEventsRaiseTheVersionAndMarkMovedItems() {
    long v0 = bus.version();
    queue(
        QueueChanged.newBuilder()
            .setReplaced(
                QueueChanged.Replaced.newBuilder()
                    .addItems(item("1"))
                    .addItems(item("2"))
                    .addItems(item("3"))));
    assertEquals(List.of("playlist"), IdleBus.names(last()));
    long v1 = bus.version();
    assertEquals(v0 + 1, v1);
    queue(
        QueueChanged.newBuilder()
            .setMoved(QueueChanged.Moved.newBuilder().setItemId("3").setToIndex(0)));
    long v2 = bus.version();
    // 3 moved to 0 pushes 1 and 2 down: all three changed position.
    assertEquals(v2, bus.changedAt("3"));
    assertEquals(v2, bus.changedAt("1"));
    assertEquals(v2, bus.changedAt("2"));
    queue(QueueChanged.newBuilder().setRemoved(QueueChanged.Removed.newBuilder().addItemIds("2")));
    // order 3, 1: neither moved.
    assertEquals(v2, bus.changedAt("3"));
    assertEquals(v2, bus.changedAt("1"));
    queue(
        QueueChanged.newBuilder()
            .setInserted(QueueChanged.Inserted.newBuilder().setIndex(2).addItems(item("4"))));
    assertEquals(bus.version(), bus.changedAt("4"));
    assertEquals(v2, bus.changedAt("1"));
  }

  @Test
  void scansMapToUpdateAndDatabase() {
    publish(
        Topic.LIBRARY,
        Envelope.newBuilder()
            .setLibrary(
                LibraryChanged.newBuilder()
                    .setScanStarted(LibraryChanged.ScanStarted.getDefaultInstance())));
    assertEquals(List.of("update"), IdleBus.names(last()));
    assertTrue(bus.updateJob() > 0);
    publish(
        Topic.LIBRARY,
        Envelope.newBuilder()
            .setLibrary(
                LibraryChanged.newBuilder()
                    .setScanCompleted(LibraryChanged.ScanCompleted.getDefaultInstance())));
    assertEquals(List.of("database", "update"), IdleBus.names(last()));
    assertEquals(0, bus.updateJob());
  }
}
