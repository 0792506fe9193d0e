package io.tonearm.daemon.transport;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static io.tonearm.daemon.testing.TestDaemons.publishPlayer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.audio.GaplessJoint;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.RawHttp;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.SeekRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input over the wire: each gets its status or close code and nothing else changes. */
class BadInputE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private int start(Config c) throws Exception {
    daemon = TestDaemons.settled(c);
    daemon
        .router()
        .post(
            "/api/v1/test/seek",
            req ->
                CompletableFuture.completedFuture(
                    ApiResponse.ok(req.parse(SeekRequest.newBuilder()).build())));
    return daemon.port();
  }

  @Test
  void unplayableFilesAreReportedSkippedAndTheDaemonKeepsServing() throws Exception {
    Files.write(dir.resolve("empty.flac"), new byte[0]);
    byte[] junk = new byte[5000];
    new java.util.Random(5).nextBytes(junk);
    Files.write(dir.resolve("garbage.mp3"), junk);
    Files.write(dir.resolve("score.mid"), Arrays.copyOf("MThd".getBytes(), 100));
    byte[] flac = Files.readAllBytes(GaplessJoint.part("flac", 'a'));
    Files.write(dir.resolve("cut.flac"), Arrays.copyOf(flac, flac.length / 2));
    Files.copy(GaplessJoint.fixture("1s_440Hz_44k1_mono_16bit.wav"), dir.resolve("good.wav"));
    int port = start(TestDaemons.quiet(dir));
    List<String> errors = new ArrayList<>();
    try (WsProbe ws = WsProbe.connect(port, "?topics=player")) {
      ws.nextState(); // the snapshot
      String paths = "\"empty.flac\", \"garbage.mp3\", \"score.mid\", \"cut.flac\", \"good.wav\"";
      assertEquals(200, post(port, "/api/v1/queue", "{\"paths\": [" + paths + "]}").statusCode());
      assertEquals(200, post(port, "/api/v1/player/play", "{}").statusCode());
      while (true) {
        PlayerChanged p = ws.nextWhere(e -> e.hasPlayer()).getPlayer();
        if (p.getCause() == Cause.CAUSE_ERROR) {
          errors.add(p.getState().getError().getDetailsOrThrow("path"));
          assertTrue(
              p.getState()
                  .getError()
                  .getMessage()
                  .contains(p.getState().getError().getDetailsOrThrow("path")),
              p.getState().getError().getMessage());
        }
        if (p.getCause() == Cause.CAUSE_AUTO_ADVANCE
            && p.getState().getState() == PlaybackState.PLAYBACK_STATE_STOPPED) {
          break; // good.wav played to its end on the null output
        }
      }
    }
    assertEquals(List.of("empty.flac", "garbage.mp3", "score.mid", "cut.flac"), errors);
    HttpResponse<String> health = get(port, "/health");
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
    // Which Opus decoder is in use: libopus in float where it loads, else Concentus.
    assertTrue(
        health.body().matches(".*\"opus_decoder\":\"(libopus [^\"]+ \\(float\\)|concentus .*).*"),
        health.body());
    assertTrue(
        health.body().matches(".*\"mp3_decoder\":\"(libmpg123 \\(float\\)|jlayer)\".*"),
        health.body());
    assertTrue(get(port, "/api/v1/player").body().contains("PLAYBACK_STATE_STOPPED"));
  }

  @Test
  void crossOriginHandshakeIsRefusedBeforeTheUpgrade() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (RawHttp raw = new RawHttp(port, 0)) {
      String head = raw.upgrade("/ws?topics=player", "http://evil.example");
      assertTrue(head.startsWith("HTTP/1.1 403"), head);
    }
    try (RawHttp raw = new RawHttp(port, 0)) {
      String head = raw.upgrade("/ws?topics=player", "http://localhost:5173");
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
    }
  }

  @Test
  void unknownTopicOrBadResumeInUrlIs400() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    for (String q : new String[] {"?topics=player,nope", "?resume=abc", "?format=xml"}) {
      try (RawHttp raw = new RawHttp(port, 0)) {
        String head = raw.upgrade("/ws" + q, null);
        assertTrue(head.startsWith("HTTP/1.1 400"), q + ": " + head);
      }
    }
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    HttpResponse<String> r = post(port, "/api/v1/test/seek", "x".repeat(2 << 20));
    assertEquals(413, r.statusCode());
  }

  @Test
  void malformedJsonAndUnknownFieldsAre400WithStructuredError() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    HttpResponse<String> r = post(port, "/api/v1/test/seek", "{\"position_ms\": ");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("\"code\":\"bad_request\""), r.body());
    r = post(port, "/api/v1/test/seek", "{\"bogus\": 1}");
    assertEquals(400, r.statusCode());
    r = post(port, "/api/v1/test/seek", "{\"position_ms\": 1500}");
    assertEquals(200, r.statusCode());
    assertEquals("{\"position_ms\":\"1500\"}", r.body());
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    assertEquals(404, get(port, "/api/v1/none").statusCode());
    assertEquals(405, get(port, "/api/v1/test/seek").statusCode());
    assertEquals(404, get(port, "/../../etc/passwd").statusCode());
  }

  @Test
  void oversizedHeaderIs431() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (RawHttp raw = new RawHttp(port, 0)) {
      raw.write(
          "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n");
      String head = raw.readHead();
      assertTrue(head.startsWith("HTTP/1.1 431"), head);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (RawHttp raw = new RawHttp(port, 0)) {
      raw.write(
          "GET /api/v1/none HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(raw.readHead().startsWith("HTTP/1.1 404"));
    }
  }

  @Test
  void oversizedWebSocketMessageClosesWith1009() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (RawHttp raw = new RawHttp(port, 0)) {
      assertTrue(raw.upgrade("/ws", null).startsWith("HTTP/1.1 101"));
      byte[] hello = raw.readFrame();
      assertEquals(0x82, hello[0] & 0xFF, "binary hello first");
      // A masked binary frame header announcing 100,000 bytes: past the 64 KiB limit.
      raw.write(
          new byte[] {
            (byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 1, (byte) 0x86, (byte) 0xA0, 1, 2, 3, 4
          });
      byte[] close = raw.readFrame();
      assertEquals(0x88, close[0] & 0xFF, "a close frame");
      assertEquals(1009, ((close[2] & 0xFF) << 8) | (close[3] & 0xFF));
    }
  }

  @Test
  void garbageBytesOnTheSocketCloseOnlyThatConnection() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    publishPlayer(daemon, 10, 0);
    try (WsProbe good = WsProbe.connect(port, "?topics=player");
        RawHttp raw = new RawHttp(port, 0)) {
      good.next();
      good.next();
      assertTrue(raw.upgrade("/ws?topics=player", null).startsWith("HTTP/1.1 101"));
      byte[] junk = new byte[4096];
      new java.util.Random(7).nextBytes(junk);
      raw.write(junk);
      raw.drainUntilClosed(); // returns once the server has closed it
      long seq = publishPlayer(daemon, 11, 0);
      assertEquals(seq, good.next().getSeq());
    }
  }

  @Test
  void clientThatNeverReadsIsClosedAndOthersKeepBeingServed() throws Exception {
    int port = start(TestDaemons.config(dir, 65_536, 64 << 10, 8 << 10));
    publishPlayer(daemon, 1, 0);
    try (WsProbe good = WsProbe.connect(port, "?topics=player");
        RawHttp stalled = new RawHttp(port, 4096)) {
      good.next();
      good.next();
      assertTrue(stalled.upgrade("/ws?topics=player", null).startsWith("HTTP/1.1 101"));
      // ~2 MB of events: far past the 64 KiB budget plus every socket buffer on the way.
      for (int i = 0; i < 500; i++) {
        long seq = publishPlayer(daemon, i % 100, 4000);
        assertEquals(seq, good.next().getSeq(), "the reading client gets every event in order");
      }
      awaitMetric(port, "tonearm_ws_disconnects_total{reason=\"slow_consumer\"} 1.0");
    }
  }

  @Test
  void shutdownClosesSocketsWith1001() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(port, "?topics=player")) {
      ws.next();
      daemon.close();
      daemon = null;
      assertEquals(1001, ws.closeCode(10));
    }
  }

  @Test
  void healthAndMetricsDescribeTheDaemon() throws Exception {
    int port = start(TestDaemons.quiet(dir));
    try (WsProbe ws = WsProbe.connect(port, "?topics=player,queue")) {
      ws.next();
      String health = get(port, "/health").body();
      assertTrue(health.contains("\"status\":\"ok\""), health);
      assertTrue(health.contains("\"connections\":1"), health);
      assertTrue(health.contains("\"player\":1"), health);
      assertTrue(health.contains("\"epoch\":\"" + daemon.hub().epoch() + "\""), health);
      String metrics = get(port, "/metrics").body();
      assertTrue(metrics.contains("tonearm_ws_open_connections 1"), metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics are exported");
    }
  }

  private static void awaitMetric(int port, String line) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = get(port, "/metrics").body();
      if (last.contains(line)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("metric never showed " + line);
  }
}
