package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.publishPlayer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.Ping;
import io.tonearm.proto.v1.Subscribe;
import io.tonearm.proto.v1.TransportFrame;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event stream end to end: a daemon on port 0 and real WebSocket clients. */
class EventStreamE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private Daemon start(Config c) throws Exception {
    daemon = TestDaemons.settled(c);
    return daemon;
  }

  @Test
  void helloThenSnapshotThenLiveEventWithPublishedSeq() throws Exception {
    start(TestDaemons.quiet(dir));
    long first = publishPlayer(daemon, 40, 0);
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      Envelope hello = ws.next();
      assertTrue(hello.hasHello());
      assertFalse(hello.getHello().getRecovered());
      assertEquals(daemon.hub().epoch(), hello.getHello().getEpoch());
      long head = hello.getHello().getSeq();
      assertTrue(head >= first);
      Envelope snap = ws.next();
      assertEquals(Cause.CAUSE_SNAPSHOT, snap.getPlayer().getCause());
      assertEquals(40, snap.getPlayer().getState().getVolume());
      assertEquals(head, snap.getSeq());
      long seq = publishPlayer(daemon, 41, 0);
      Envelope live = ws.next();
      assertEquals(seq, live.getSeq());
      assertEquals(41, live.getPlayer().getState().getVolume());
      assertEquals(Cause.CAUSE_COMMAND, live.getPlayer().getCause());
    }
  }

  @Test
  void resumeReplaysMissedEventsWithoutGapOrDuplicate() throws Exception {
    start(TestDaemons.quiet(dir));
    publishPlayer(daemon, 1, 0);
    long last;
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      ws.next(); // hello
      ws.next(); // snapshot
      for (int i = 0; i < 5; i++) {
        publishPlayer(daemon, 10 + i, 0);
      }
      for (int i = 0; i < 4; i++) {
        ws.nextState();
      }
      last = ws.nextState().getSeq(); // the client has seen up to here
    }
    // The seqs these events got: the seq counts every topic, so a daemon's own event of another
    // topic (a late start-up job under load) may take one between them; the replay of "player"
    // must be exactly these, in order.
    long[] seqs = new long[300];
    for (int i = 0; i < 300; i++) {
      seqs[i] = publishPlayer(daemon, i % 100, 0);
    }
    String resume = "?topics=player&resume=" + daemon.hub().epoch() + ":" + last;
    try (WsProbe ws = WsProbe.connect(daemon.port(), resume)) {
      Envelope hello = ws.next();
      assertTrue(hello.getHello().getRecovered());
      for (int i = 0; i < 300; i++) {
        Envelope e = ws.next();
        assertEquals(seqs[i], e.getSeq(), "event " + i);
        assertEquals(i % 100, e.getPlayer().getState().getVolume());
      }
      assertEquals(null, ws.poll(200), "nothing after the replay");
    }
  }

  @Test
  void resumeWithStaleEpochGetsSnapshot() throws Exception {
    start(TestDaemons.quiet(dir));
    publishPlayer(daemon, 33, 0);
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player&resume=deadbeef:1")) {
      assertFalse(ws.next().getHello().getRecovered());
      Envelope snap = ws.next();
      assertEquals(Cause.CAUSE_SNAPSHOT, snap.getPlayer().getCause());
      assertEquals(33, snap.getPlayer().getState().getVolume());
    }
  }

  @Test
  void resumeOlderThanHistoryGetsSnapshot() throws Exception {
    start(TestDaemons.config(dir, 16, 8 << 20, 64 << 10));
    for (int i = 0; i < 40; i++) {
      publishPlayer(daemon, i, 0);
    }
    long published = daemon.hub().currentSeq();
    String q = "?topics=player&resume=" + daemon.hub().epoch() + ":" + (published - 30);
    try (WsProbe ws = WsProbe.connect(daemon.port(), q)) {
      Envelope hello = ws.next();
      assertFalse(hello.getHello().getRecovered());
      Envelope snap = ws.next();
      // Current as of the connect: at or past the last publish here, and the daemon's own events
      // (a job's progress) may have come after it, but not past the seq now.
      assertTrue(
          snap.getSeq() >= published && snap.getSeq() <= daemon.hub().currentSeq(),
          "snapshot seq " + snap.getSeq() + " after " + published);
      assertEquals(39, snap.getPlayer().getState().getVolume());
    }
  }

  @Test
  void subscribeOnOpenSocketAcksThenSnapshot() throws Exception {
    start(TestDaemons.quiet(dir));
    publishPlayer(daemon, 7, 0);
    try (WsProbe ws = WsProbe.connect(daemon.port(), "")) {
      assertTrue(ws.next().hasHello());
      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("r1")
              .setSubscribe(Subscribe.newBuilder().addTopics("player"))
              .build());
      Envelope ack = ws.next();
      assertEquals("r1", ack.getAck().getRequestId());
      assertEquals("player", ack.getAck().getTopics(0));
      assertEquals(7, ws.next().getPlayer().getState().getVolume());
      long seq = publishPlayer(daemon, 8, 0);
      assertEquals(seq, ws.next().getSeq());
    }
  }

  @Test
  void jsonFormatSendsTextFrames() throws Exception {
    start(TestDaemons.quiet(dir));
    publishPlayer(daemon, 55, 0);
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player&format=json")) {
      assertTrue(ws.next().hasHello());
      assertEquals(55, ws.next().getPlayer().getState().getVolume());
    }
  }

  @Test
  void frameStreamDeliversFramesWithStreamIdAndNoSeq() throws Exception {
    start(TestDaemons.quiet(dir));
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
                    .setTransport(TransportFrame.newBuilder().setItemId("q1").setDurationMs(1000));
              }
            });
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=transport&fps=50")) {
      assertTrue(ws.next().hasHello());
      for (int i = 0; i < 5; i++) {
        Envelope f = ws.next();
        assertEquals(0, f.getSeq());
        assertTrue(f.getStream().startsWith("transport-"));
        assertEquals("q1", f.getTransport().getItemId());
      }
    }
  }

  @Test
  void malformedControlMessageGetsErrorAndConnectionStays() throws Exception {
    start(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "")) {
      ws.next();
      ws.sendRaw(new byte[] {(byte) 0xFF, 0x12, 0x00, 0x7F, (byte) 0x80});
      Envelope err = ws.next();
      assertEquals("bad_request", err.getError().getCode());
      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("p")
              .setPing(Ping.newBuilder().setClientTimeUs(123))
              .build());
      assertEquals(123, ws.next().getPong().getClientTimeUs());
    }
  }

  @Test
  void subscribeToUnknownTopicGetsErrorAndChangesNothing() throws Exception {
    start(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      ws.next();
      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("bad")
              .setSubscribe(Subscribe.newBuilder().addTopics("queue").addTopics("nope"))
              .build());
      Envelope err = ws.nextWhere(Envelope::hasError);
      assertEquals("unknown_topic", err.getError().getCode());
      assertEquals("bad", err.getError().getRequestId());
      long seq = publishPlayer(daemon, 9, 0);
      assertEquals(seq, ws.next().getSeq(), "still subscribed to player, not to queue");
    }
  }

  @Test
  void jsonControlMessagesWork() throws Exception {
    start(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?format=json")) {
      ws.next();
      ws.sendText("{\"request_id\":\"j\",\"ping\":{\"client_time_us\":\"5\"}}");
      assertEquals(5, ws.next().getPong().getClientTimeUs());
      ws.sendText("{\"request_id\":\"j\",\"no_such_field\":1}");
      assertEquals("bad_request", ws.next().getError().getCode());
    }
  }
}
