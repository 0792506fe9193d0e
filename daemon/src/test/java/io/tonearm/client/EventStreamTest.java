package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobChanged;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.TransportFrame;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's event stream against the real daemon on a free port. */
class EventStreamTest {

  @TempDir Path dir;

  private Daemon daemon;
  private TonearmClient client;

  @BeforeEach
  void start() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    client = clientFor(daemon.port());
  }

  @AfterEach
  void stop() {
    client.close();
    if (daemon != null) {
      daemon.close();
    }
  }

  private static TonearmClient clientFor(int port) {
    return TonearmClient.builder()
        .baseUri(URI.create("http://127.0.0.1:" + port))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .build();
  }

  /** Publishes a player event with {@code volume} and the matching snapshot; returns its seq. */
  static long publishVolume(Daemon d, int volume) {
    PlayerState state = PlayerState.newBuilder().setVolume(volume).build();
    return d.hub()
        .publish(
            Topic.PLAYER,
            Envelope.newBuilder()
                .setPlayer(
                    PlayerChanged.newBuilder().setState(state).setCause(Cause.CAUSE_COMMAND)),
            Envelope.newBuilder()
                .setPlayer(
                    PlayerChanged.newBuilder().setState(state).setCause(Cause.CAUSE_SNAPSHOT)));
  }

  private static EventStreamOptions player() {
    return EventStreamOptions.builder().topics("player").build();
  }

  @Test
  void helloThenSnapshotOfSubscribedTopic() throws Exception {
    publishVolume(daemon, 10);
    long seq = publishVolume(daemon, 42);
    Recorder r = new Recorder();
    try (EventStream s = client.events(player(), r)) {
      var hello = r.next(Recorder.Connected.class).hello();
      assertFalse(hello.getRecovered());
      assertEquals(daemon.hub().epoch(), hello.getEpoch());
      assertEquals(seq, hello.getSeq());
      Envelope snap = r.next(Recorder.Snapshot.class).envelope();
      assertEquals(seq, snap.getSeq());
      assertEquals(Cause.CAUSE_SNAPSHOT, snap.getPlayer().getCause());
      assertEquals(42, snap.getPlayer().getState().getVolume());
      assertEquals(new StreamPosition(daemon.hub().epoch(), seq), s.position().orElseThrow());
    }
  }

  @Test
  void publishedEventArrivesWithPublishedSeq() throws Exception {
    Recorder r = new Recorder();
    try (EventStream s = client.events(player(), r)) {
      r.next(Recorder.Connected.class);
      r.next(Recorder.Snapshot.class); // the player's restored state
      assertTrue(s.isConnected());
      long seq = publishVolume(daemon, 7);
      Envelope e = r.next(Recorder.Event.class).envelope();
      assertEquals(seq, e.getSeq());
      assertEquals(7, e.getPlayer().getState().getVolume());
      assertEquals(daemon.hub().epoch(), e.getEpoch());
    }
  }

  /**
   * Publishes an event of topic {@code jobs}, which a player-only stream never sees: it takes a seq
   * all the same, as the daemon's own scan jobs do at any time.
   */
  static long publishOtherTopic(Daemon d, String jobId) {
    return d.hub()
        .publish(
            Topic.JOBS,
            Envelope.newBuilder()
                .setJobs(JobChanged.newBuilder().setCreated(Job.newBuilder().setId(jobId))),
            Envelope.newBuilder().setJobs(JobChanged.newBuilder()));
  }

  /**
   * The SDK's promise: after a reconnect, every event of the subscribed topics that the stream
   * missed arrives once, in order, and nothing else. Seqs are daemon-wide, so the player events'
   * seqs skip those of other topics (here a jobs event between each, as a scan interleaves them);
   * the expected seqs are the ones the hub gave the player events, never "the previous plus one".
   */
  @Test
  void resumesAfterDroppedConnectionWithoutGapOrDuplicate() throws Exception {
    try (TcpProxy proxy = new TcpProxy(daemon.port());
        TonearmClient viaProxy = client.newBuilder().port(proxy.port()).build()) {
      Recorder r = new Recorder();
      try (EventStream s = viaProxy.events(player(), r)) {
        r.next(Recorder.Connected.class);
        r.next(Recorder.Snapshot.class);
        long base = publishVolume(daemon, 1);
        assertEquals(base, r.next(Recorder.Event.class).envelope().getSeq());

        proxy.cut();
        r.until(Recorder.Disconnected.class);
        List<Long> missed = new ArrayList<>();
        for (int v = 2; v <= 6; v++) {
          publishOtherTopic(daemon, "j" + v);
          missed.add(publishVolume(daemon, v));
        }
        proxy.open();

        var hello = r.until(Recorder.Connected.class).hello();
        assertTrue(hello.getRecovered());
        List<Long> replayed = new ArrayList<>();
        for (int v = 2; v <= 6; v++) {
          Envelope e = r.next(Recorder.Event.class).envelope();
          replayed.add(e.getSeq());
          assertEquals(v, e.getPlayer().getState().getVolume(), "replayed in order");
        }
        assertEquals(missed, replayed, "every missed player event once, no other seq");
        long live = publishVolume(daemon, 7);
        assertEquals(live, r.next(Recorder.Event.class).envelope().getSeq());
        assertEquals(live, s.position().orElseThrow().seq());
      }
    }
  }

  @Test
  void staleEpochGetsSnapshot() throws Exception {
    long seq = publishVolume(daemon, 30);
    Recorder r = new Recorder();
    EventStreamOptions opts =
        player().newBuilder().resumeFrom(new StreamPosition("0123456789abcdef", seq)).build();
    try (EventStream s = client.events(opts, r)) {
      var hello = r.next(Recorder.Connected.class).hello();
      assertFalse(hello.getRecovered());
      assertEquals(daemon.hub().epoch(), hello.getEpoch());
      assertTrue(s.isConnected());
      assertEquals(
          30, r.next(Recorder.Snapshot.class).envelope().getPlayer().getState().getVolume());
    }
  }

  @Test
  void seqOlderThanHistoryGetsSnapshot() throws Exception {
    daemon.close();
    daemon = TestDaemons.settled(withHistory(TestDaemons.quiet(dir), 4));
    client.close();
    client = clientFor(daemon.port());
    for (int v = 1; v <= 10; v++) {
      publishVolume(daemon, v);
    }
    Recorder r = new Recorder();
    EventStreamOptions opts =
        player().newBuilder().resumeFrom(new StreamPosition(daemon.hub().epoch(), 2)).build();
    try (EventStream s = client.events(opts, r)) {
      var hello = r.next(Recorder.Connected.class).hello();
      assertFalse(hello.getRecovered());
      long head = daemon.hub().currentSeq();
      assertEquals(head, hello.getSeq());
      assertTrue(s.isConnected());
      Envelope snap = r.next(Recorder.Snapshot.class).envelope();
      assertEquals(head, snap.getSeq());
      assertEquals(10, snap.getPlayer().getState().getVolume());
      // After the snapshot (another topic's event of the daemon's own may take a seq between).
      long seq = publishVolume(daemon, 11);
      assertTrue(seq > head, seq + " after " + head);
      assertEquals(seq, r.next(Recorder.Event.class).envelope().getSeq());
    }
  }

  @Test
  void resumeWithinHistoryReplaysOnlyMissedEvents() throws Exception {
    long[] seqs = new long[5];
    for (int v = 1; v <= 5; v++) {
      seqs[v - 1] = publishVolume(daemon, v);
    }
    Recorder r = new Recorder();
    EventStreamOptions opts =
        player().newBuilder().resumeFrom(new StreamPosition(daemon.hub().epoch(), seqs[2])).build();
    try (EventStream s = client.events(opts, r)) {
      assertTrue(r.next(Recorder.Connected.class).hello().getRecovered());
      assertTrue(s.isConnected());
      assertEquals(seqs[3], r.next(Recorder.Event.class).envelope().getSeq());
      assertEquals(seqs[4], r.next(Recorder.Event.class).envelope().getSeq());
    }
  }

  @Test
  void reconnectsToRestartedDaemonAndStartsOverInNewEpoch() throws Exception {
    int port = daemon.port();
    String oldEpoch = daemon.hub().epoch();
    Recorder r = new Recorder();
    try (EventStream s = client.events(player(), r)) {
      r.next(Recorder.Connected.class);
      r.next(Recorder.Snapshot.class);
      long first = publishVolume(daemon, 5);
      assertEquals(first, r.next(Recorder.Event.class).envelope().getSeq());

      daemon.close();
      daemon = null;
      Recorder.Disconnected bye = r.next(Recorder.Disconnected.class);
      assertEquals(1001, bye.code());
      assertTrue(bye.reconnectInMillis() >= 0);
      // Refused while nothing listens: the loop keeps trying with backoff.
      Recorder.Disconnected refused = r.next(Recorder.Disconnected.class);
      assertEquals(1006, refused.code());
      assertTrue(refused.reconnectInMillis() >= 0);

      daemon = TestDaemons.settled(TestDaemons.quiet(dir, port));
      var hello = r.until(Recorder.Connected.class).hello();
      assertFalse(hello.getRecovered());
      assertEquals(daemon.hub().epoch(), hello.getEpoch());
      assertNotEquals(oldEpoch, hello.getEpoch());
      assertEquals(daemon.hub().epoch(), s.position().orElseThrow().epoch());

      long seq = publishVolume(daemon, 9);
      // The stream may have connected while the new daemon was still starting: its own start-up
      // events (outputs, the first scan) come first, in order, below our seq.
      Envelope e = r.until(Recorder.Event.class).envelope();
      while (e.getSeq() < seq) {
        long before = e.getSeq();
        e = r.until(Recorder.Event.class).envelope();
        assertTrue(e.getSeq() > before, "in order, each once");
      }
      assertEquals(seq, e.getSeq());
      assertEquals(9, e.getPlayer().getState().getVolume());
    }
  }

  @Test
  void closeStopsReconnecting() throws Exception {
    Recorder r = new Recorder();
    EventStream s = client.events(player(), r);
    r.next(Recorder.Connected.class);
    s.close();
    Recorder.Disconnected d = r.until(Recorder.Disconnected.class);
    assertEquals(-1, d.reconnectInMillis());
    assertFalse(s.isConnected());
  }

  @Test
  void closeWhileConnectingEndsTheStreamForGood() throws Exception {
    Recorder r = new Recorder();
    EventStream s = client.events(player(), r);
    s.close();
    Recorder.Disconnected d = r.until(Recorder.Disconnected.class);
    assertEquals(-1, d.reconnectInMillis());
    publishVolume(daemon, 3);
    Thread.sleep(500); // give a wrongly surviving socket time to show itself
    assertTrue(r.idle());
    assertFalse(s.isConnected());
  }

  @Test
  void framesArriveThroughOnFrameWithTheirStreamId() throws Exception {
    synchronized (daemon.frames()) {
      daemon
          .frames()
          .register(
              Topic.TRANSPORT,
              new FrameSource() {
                @Override
                public FrameView normalize(FrameView requested) {
                  return requested.getFps() == 0
                      ? requested.toBuilder().setFps(10).build()
                      : requested;
                }

                @Override
                public Envelope.Builder render(FrameView view, long nowMicros) {
                  return Envelope.newBuilder()
                      .setTransport(TransportFrame.newBuilder().setItemId("item-1"));
                }
              });
    }
    Recorder r = new Recorder(true);
    // The first rate goes in the URL; the other view is asked for with a Subscribe.
    EventStreamOptions opts =
        player().newBuilder().frames("transport", 20).frames("transport", 5).build();
    try (EventStream s = client.events(opts, r)) {
      var hello = r.next(Recorder.Connected.class).hello();
      assertTrue(hello.getTopicsList().contains("transport"));
      var ack = r.until(Recorder.Control.class).envelope().getAck();
      assertEquals("views", ack.getRequestId());
      assertEquals(2, ack.getStreamsCount());
      Envelope f = r.until(Recorder.Frame.class).envelope();
      assertEquals(0, f.getSeq());
      assertTrue(f.getStream().startsWith("transport-"));
      assertEquals("item-1", f.getTransport().getItemId());
      assertTrue(s.isConnected());
    }
  }

  static Config withHistory(Config c, int events) {
    return c.toBuilder().historyEvents(events).build();
  }
}
