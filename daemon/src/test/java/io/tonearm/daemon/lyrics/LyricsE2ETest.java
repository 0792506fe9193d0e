package io.tonearm.daemon.lyrics;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.TestTones;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A track with an LRC sidecar played by the daemon; its offset set over HTTP survives a restart.
 */
class LyricsE2ETest {

  @TempDir Path dir;

  static String awaitLyrics(Daemon d, String needle) throws Exception {
    String body = "";
    for (int i = 0; i < 100 && !body.contains(needle); i++) {
      Thread.sleep(50);
      body = get(d.port(), "/api/v1/lyrics").body();
    }
    return body;
  }

  @Test
  void sidecarLyricsAreSentAndTheOffsetIsKeptInTheLibrary() throws Exception {
    // 60 s: a 1 s track could end (and the lyrics with it) between two requests on a busy machine.
    TestTones.wav(dir.resolve("tone.wav"), 0.25, 60);
    Files.writeString(dir.resolve("tone.lrc"), "[00:00.10]Hello\nbroken line\n[00:00.50]World\n");
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      assertEquals(
          200, post(d.port(), "/api/v1/queue/append", "{\"paths\": [\"tone.wav\"]}").statusCode());
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());
      String body = awaitLyrics(d, "World");
      assertTrue(body.contains("\"source\":\"sidecar\""), body);
      assertTrue(body.contains("line 2: no [mm:ss.xx] time stamp"), body);
      HttpResponse<String> off = post(d.port(), "/api/v1/lyrics/offset", "{\"offset_ms\": 250}");
      assertEquals(200, off.statusCode(), off.body());
      assertTrue(off.body().contains("\"offset_ms\":\"250\""), off.body());
      HttpResponse<String> bad = post(d.port(), "/api/v1/lyrics/offset", "{\"offset_ms\": 99999}");
      assertEquals(422, bad.statusCode(), bad.body());
      HttpResponse<String> missing = post(d.port(), "/api/v1/lyrics/offset", "{}");
      assertEquals(400, missing.statusCode(), missing.body());
      HttpResponse<String> size =
          post(d.port(), "/api/v1/lyrics/presentation", "{\"display_size\": \"huge\"}");
      assertEquals(200, size.statusCode(), size.body());
    }
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir))) {
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());
      String body = awaitLyrics(d, "World");
      assertTrue(
          body.contains("\"offset_ms\":\"250\""), body + get(d.port(), "/api/v1/player").body());
      assertTrue(body.contains("\"display_size\":\"huge\""), body);
    }
  }
}
