package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubTest {

  private final EventHub hub = new EventHub(8, 1 << 20, () -> 42L);

  private long volume(int v) {
    Envelope.Builder e =
        Envelope.newBuilder()
            .setPlayer(PlayerChanged.newBuilder().setState(PlayerState.newBuilder().setVolume(v)));
    return hub.publish(Topic.PLAYER, e, e.clone());
  }

  @Test
  void seqGrowsByOneAndEventsAreStamped() {
    assertEquals(1, volume(1));
    assertEquals(2, volume(2));
    Envelope e = hub.event(2).envelope();
    assertEquals(2, e.getSeq());
    assertEquals(hub.epoch(), e.getEpoch());
    assertEquals(42, e.getServerTimeUs());
    assertEquals(2, hub.currentSeq());
  }

  @Test
  void newestSeqIsPerTopicAndZone() {
    StateLane kitchen = hub.zone("kitchen");
    assertEquals(0, hub.newestSeq(Topic.PLAYER), "none yet");
    assertEquals(1, volume(1));
    long k = kitchen.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
    long c = kitchen.publish(Topic.COMMANDS, Envelope.newBuilder(), null);
    assertEquals(3, c);
    assertEquals(1, hub.newestSeq(Topic.PLAYER), "the default zone's");
    assertEquals(1, hub.zone(ZoneId.DEFAULT).newestSeq(Topic.PLAYER));
    assertEquals(k, kitchen.newestSeq(Topic.PLAYER), "not the commands event after it");
    assertEquals(c, kitchen.newestSeq(Topic.COMMANDS));
    assertEquals(0, kitchen.newestSeq(Topic.QUEUE));
    hub.dropZone("kitchen");
    assertEquals(0, kitchen.newestSeq(Topic.PLAYER), "a removed zone's are forgotten");
    assertEquals(1, hub.newestSeq(Topic.PLAYER));
  }

  @Test
  void listenersHearEveryEventInOrder() {
    List<Long> heard = new ArrayList<>();
    hub.addListener(e -> heard.add(e.seq()));
    volume(1);
    volume(2);
    assertEquals(List.of(1L, 2L), heard);
  }

  @Test
  void resumeWithinHistoryIsRecovered() {
    for (int i = 0; i < 5; i++) {
      volume(i);
    }
    EventHub.Start s = hub.start(EnumSet.of(Topic.PLAYER), hub.epoch(), 3);
    assertTrue(s.recovered());
    assertEquals(3, s.seq());
    assertTrue(hub.start(EnumSet.of(Topic.PLAYER), hub.epoch(), 5).recovered(), "up to date");
  }

  @Test
  void resumeOutsideHistoryOrEpochGivesSnapshotsAtTheCurrentSeq() {
    for (int i = 0; i < 20; i++) {
      volume(i);
    }
    EventHub.Start old = hub.start(EnumSet.of(Topic.PLAYER), hub.epoch(), 2);
    assertFalse(old.recovered());
    assertEquals(20, old.seq());
    assertEquals(1, old.snapshots().size());
    assertEquals(20, old.snapshots().get(0).seq());
    assertEquals(19, old.snapshots().get(0).envelope().getPlayer().getState().getVolume());
    assertFalse(hub.start(EnumSet.of(Topic.PLAYER), "other", 20).recovered());
    assertFalse(hub.start(EnumSet.of(Topic.PLAYER), hub.epoch(), 21).recovered(), "future seq");
  }

  @Test
  void snapshotsOnlyForTopicsThatHaveState() {
    volume(1);
    Envelope.Builder q = Envelope.newBuilder().setQueue(QueueChanged.newBuilder().setLength(3));
    hub.initSnapshot(Topic.QUEUE, q);
    EventHub.Start s = hub.start(EnumSet.of(Topic.PLAYER, Topic.QUEUE), null, 0);
    assertEquals(2, s.snapshots().size());
    assertEquals(1, hub.start(EnumSet.of(Topic.QUEUE), null, 0).snapshots().size());
  }

  @Test
  void frameTopicsCannotBePublishedOnTheStateLane() {
    assertThrows(
        IllegalArgumentException.class,
        () -> hub.publish(Topic.TRANSPORT, Envelope.newBuilder(), Envelope.newBuilder()));
  }

  @Test
  void snapshotAtOneSeqIsEncodedOnceForEveryClient() {
    volume(1);
    EncodedEvent a = hub.start(EnumSet.of(Topic.PLAYER), null, 0).snapshots().get(0);
    EncodedEvent b = hub.start(EnumSet.of(Topic.PLAYER), null, 0).snapshots().get(0);
    assertTrue(a == b, "the same encoded snapshot");
    volume(2);
    EncodedEvent c = hub.start(EnumSet.of(Topic.PLAYER), null, 0).snapshots().get(0);
    assertEquals(2, c.seq());
    assertEquals(2, c.envelope().getPlayer().getState().getVolume());
  }
}
