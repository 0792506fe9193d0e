package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.audio.GaplessJoint;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerReply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command over HTTP and its event over the socket, matched by the seq in the HTTP reply. */
class CommandE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void commandReplyCarriesTheSeqOfTheEventEveryClientReceives() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    try (WsProbe a = WsProbe.connect(daemon.port(), "?topics=player");
        WsProbe b = WsProbe.connect(daemon.port(), "?topics=player&format=json")) {
      a.next();
      b.next();
      HttpResponse<String> r = post(daemon.port(), "/api/v1/player/volume", "{\"volume\": 30}");
      assertEquals(200, r.statusCode(), r.body());
      PlayerReply.Builder reply = PlayerReply.newBuilder();
      JsonFormat.parser().merge(r.body(), reply);
      assertEquals(30, reply.getState().getVolume());
      for (WsProbe ws : new WsProbe[] {a, b}) {
        Envelope e = ws.nextWhere(x -> x.getSeq() == reply.getSeq());
        assertEquals(Cause.CAUSE_COMMAND, e.getPlayer().getCause());
        assertEquals("player.volume", e.getPlayer().getOrigin().getCommand());
        assertTrue(e.getPlayer().getOrigin().getClient().startsWith("http:"));
        assertEquals(30, e.getPlayer().getState().getVolume());
      }
    }
  }

  @Test
  void aCommandThatChangesNothingAnswersWithTheNewestEventOfItsTopicWhichAFollowerHas()
      throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      ws.next();
      PlayerReply set =
          playerReply(post(daemon.port(), "/api/v1/player/volume", "{\"volume\": 30}"));
      assertEquals(set.getSeq(), ws.nextWhere(x -> x.getSeq() == set.getSeq()).getSeq());
      // The command's CommandExecuted (topic commands) came after its PlayerChanged, so the
      // daemon's current seq is past the newest event this socket follows.
      assertTrue(daemon.hub().currentSeq() > set.getSeq());

      PlayerReply again =
          playerReply(post(daemon.port(), "/api/v1/player/volume", "{\"volume\": 30}"));
      assertEquals(set.getSeq(), again.getSeq(), "a no-op: the PlayerChanged the socket has");
      assertEquals(30, again.getState().getVolume());
      // A GET answers as of the current seq (a resume from it misses nothing): past the player
      // event, at the commands events after it.
      long before = daemon.hub().currentSeq();
      PlayerReply got = playerReply(TestDaemons.get(daemon.port(), "/api/v1/player"));
      assertTrue(got.getSeq() >= before && got.getSeq() <= daemon.hub().currentSeq(), "" + got);
      assertNull(ws.poll(200), "nothing more on the player topic");
    }
  }

  private static PlayerReply playerReply(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    PlayerReply.Builder reply = PlayerReply.newBuilder();
    JsonFormat.parser().merge(r.body(), reply);
    return reply.build();
  }

  @Test
  void jsonRepliesAndEventsPrintFieldsAtTheirDefaultValues() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player&format=json")) {
      ws.next();
      HttpResponse<String> r = post(daemon.port(), "/api/v1/player/volume", "{\"volume\": 0}");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"volume\":0"), r.body());
      assertTrue(r.body().contains("\"repeat\":\"REPEAT_MODE_NONE\""), r.body());
      assertTrue(r.body().contains("\"muted\":false"), r.body());
      PlayerReply.Builder reply = PlayerReply.newBuilder();
      JsonFormat.parser().merge(r.body(), reply);
      ws.nextWhere(x -> x.getSeq() == reply.getSeq());
      String seq = "\"seq\":\"" + reply.getSeq() + "\"";
      String event = ws.texts().stream().filter(t -> t.contains(seq)).findFirst().orElseThrow();
      assertTrue(event.contains("\"volume\":0"), event);
      assertTrue(event.contains("\"repeat\":\"REPEAT_MODE_NONE\""), event);
      assertTrue(event.contains("\"stream\":\"\""), event);
    }
  }

  @Test
  void playIsLoadingUntilTheFirstFrameIsHeardThenPlaying() throws Exception {
    Files.copy(GaplessJoint.fixture("1s_440Hz_44k1_mono_16bit.wav"), dir.resolve("tone.wav"));
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      ws.next();
      assertEquals(
          200, post(daemon.port(), "/api/v1/queue", "{\"paths\": [\"tone.wav\"]}").statusCode());
      HttpResponse<String> r = post(daemon.port(), "/api/v1/player/play", "{}");
      assertEquals(200, r.statusCode(), r.body());
      PlayerReply.Builder reply = PlayerReply.newBuilder();
      JsonFormat.parser().merge(r.body(), reply);
      assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, reply.getState().getState());
      Envelope loading = ws.nextWhere(x -> x.getSeq() == reply.getSeq());
      assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, loading.getPlayer().getState().getState());
      Envelope playing = ws.nextWhere(x -> x.hasPlayer());
      assertTrue(playing.getSeq() > reply.getSeq()); // topic commands may come between
      assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, playing.getPlayer().getState().getState());
      assertEquals(Cause.CAUSE_COMMAND, playing.getPlayer().getCause());
      assertEquals("player.play", playing.getPlayer().getOrigin().getCommand());
    }
  }

  @Test
  void refusedCommandChangesNothingAndPublishesNothing() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    long before = daemon.hub().currentSeq();
    HttpResponse<String> r = post(daemon.port(), "/api/v1/player/volume", "{\"volume\": 101}");
    assertEquals(422, r.statusCode());
    r = post(daemon.port(), "/api/v1/queue/append", "{\"paths\": [\"../../etc/passwd\"]}");
    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.body());
    // Seqs are daemon-wide: the library watcher's own rescans (jobs, library) may take some.
    java.util.List<String> published = new java.util.ArrayList<>();
    for (long q = before + 1; q <= daemon.hub().currentSeq(); q++) {
      var e = daemon.hub().event(q);
      if (e != null
          && e.topic() != io.tonearm.daemon.events.Topic.JOBS
          && e.topic() != io.tonearm.daemon.events.Topic.LIBRARY) {
        published.add(q + "=" + e.topic());
      }
    }
    assertEquals(java.util.List.of(), published, "no player, queue or other command event");
  }
}
