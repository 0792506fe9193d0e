package io.tonearm.daemon.transport.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tonearm.daemon.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code mpc} and python-mpd2 ({@code python3-mpd}) against Tonearm's MPD port, compared
 * field by field with the HTTP API. {@code .ci/run} installs both and sets {@code
 * TONEARM_REQUIRE_MPD_CLIENTS=1}, which turns a missing client into a failure instead of a skip.
 */
class RealClientsTest {

  @TempDir static Path dir;
  static Daemon daemon;

  @BeforeAll
  static void start() throws Exception {
    boolean have = Files.isExecutable(Path.of("/usr/bin/mpc")) && pythonMpd();
    if (!have && "1".equals(System.getenv("TONEARM_REQUIRE_MPD_CLIENTS"))) {
      fail("mpc and python3-mpd are required (apt-get install mpc python3-mpd)");
    }
    Assumptions.assumeTrue(have, "mpc or python3-mpd not installed");
    daemon = MpdFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @BeforeEach
  void reset() throws Exception {
    mpc("stop");
    mpc("clear");
  }

  @Test
  void mpcStatusPlayPauseNextMatchesHttp() throws Exception {
    mpc("add", "Artist A");
    mpc("add", MpdFixture.THIRD);
    mpc("repeat", "on");
    mpc("play", "1");
    String status = mpc("status");
    assertTrue(status.startsWith("Artist A - First\n"), status);
    assertTrue(status.contains("[playing] #1/3"), status);
    assertTrue(status.contains("repeat: on"), status);
    String http = http("/api/v1/player");
    // MPD's "play" is Tonearm's PLAYING or LOADING (the item opening).
    assertTrue(json(http, "state").matches("PLAYBACK_STATE_(PLAYING|LOADING)"), http);
    assertEquals("0", json(http, "queue_index"));
    assertEquals("3", json(http, "queue_length"));
    assertEquals("REPEAT_MODE_ALL", json(http, "repeat"));

    String next = mpc("next");
    assertTrue(next.startsWith("Artist A - Second\n"), next);
    assertEquals("1", json(http("/api/v1/player"), "queue_index"));

    String paused = mpc("pause");
    assertTrue(paused.contains("[paused]  #2/3"), paused);
    assertEquals("PLAYBACK_STATE_PAUSED", json(http("/api/v1/player"), "state"));
    mpc("repeat", "off");
  }

  @Test
  void mpcVolumeMatchesHttpBothWays() throws Exception {
    mpc("volume", "33");
    assertEquals("33", json(http("/api/v1/player"), "volume"));
    post("/api/v1/player/volume", "{\"volume\": 64}");
    assertEquals("volume: 64%\n", mpc("volume"));
  }

  @Test
  void mpcLsSearchAndPlaylistList() throws Exception {
    assertEquals("Artist A\nArtist B\n", mpc("ls"));
    assertEquals("Artist A/Album One\n", mpc("ls", "Artist A"));
    assertEquals(MpdFixture.THIRD + "\n", mpc("search", "title", "third"));
    assertEquals(MpdFixture.FIRST + "\n", mpc("find", "title", "First"));
    mpc("add", "Artist A");
    assertEquals("Artist A - First\nArtist A - Second\n", mpc("playlist"));
    String http = http("/api/v1/queue");
    assertTrue(http.indexOf("01 First.flac") < http.indexOf("02 Second.flac"), http);
  }

  @Test
  void mpcIdleAndIdleloopSeeHttpChanges() throws Exception {
    awaitMpdConnections(0); // the other tests' clients are gone
    Process idle = start("idle", "mixer");
    Process loop = start("idleloop", "player", "playlist");
    // Both connected: a change from now on is kept for their idle if it has not reached us yet.
    awaitMpdConnections(2);
    post("/api/v1/player/volume", "{\"volume\": 21}");
    assertTrue(idle.waitFor(20, TimeUnit.SECONDS));
    assertEquals(
        "mixer\n", new String(idle.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    post("/api/v1/queue", "{\"paths\": [\"" + MpdFixture.FIRST + "\"]}");
    post("/api/v1/player/play", null);
    List<String> got = new ArrayList<>();
    var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(loop.getInputStream(), StandardCharsets.UTF_8));
    while (!(got.contains("playlist") && got.contains("player"))) {
      String l = in.readLine();
      if (l == null) {
        break;
      }
      got.add(l);
    }
    loop.destroy();
    assertTrue(got.contains("playlist") && got.contains("player"), got.toString());
  }

  @Test
  void mpcWaitmessageGetsWhatMpcSendmessageSends() throws Exception {
    awaitMpdConnections(0);
    Process wait = start("waitmessage", "party.lights");
    awaitMpdConnections(1);
    // waitmessage subscribes, then idles for "message": once "channels" lists it, it is listening.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!mpc("channels").equals("party.lights\n")) {
      assertTrue(System.nanoTime() < deadline, "waitmessage never subscribed");
      Thread.sleep(10);
    }
    mpc("sendmessage", "party.lights", "dim to 40%");
    assertTrue(wait.waitFor(20, TimeUnit.SECONDS));
    assertEquals(
        "dim to 40%",
        new String(wait.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    awaitMpdConnections(0);
    assertEquals("", mpc("channels"), "the channel goes with its last subscriber");
  }

  @Test
  void pythonMpdSeesTheSameStateAsHttp() throws Exception {
    String script =
        String.join(
            "\n",
            "import json, sys, mpd",
            "c = mpd.MPDClient()",
            "c.connect('127.0.0.1', int(sys.argv[1]))",
            "c.add('Artist A/Album One')",
            "c.setvol(45)",
            "c.play(0)",
            "st = c.status()",
            "cur = c.currentsong()",
            "found = c.find('(album == \"Other\")')",
            "c.command_list_ok_begin()",
            "c.ping()",
            "c.status()",
            "listed = c.command_list_end()",
            "art = c.albumart('" + MpdFixture.FIRST + "')",
            "print(json.dumps({'state': st['state'], 'song': st['song'], 'volume': st['volume'],",
            "  'songid': st['songid'], 'length': st['playlistlength'], 'file': cur['file'],",
            "  'id': cur['id'], 'found': [s['file'] for s in found], 'listed': len(listed),",
            "  'art': len(art['binary'])}), flush=True)",
            "print(c.idle('mixer'), flush=True)",
            "c.close()");
    Path py = dir.resolve("client.py");
    Files.writeString(py, script);
    Process p =
        new ProcessBuilder("/usr/bin/python3", py.toString(), Integer.toString(daemon.mpdPort()))
            .redirectErrorStream(true)
            .start();
    var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = in.readLine();
    String http = http("/api/v1/player");
    if (line == null || !line.startsWith("{")) {
      fail(line + "\n" + String.join("\n", in.lines().toList()));
    }
    assertEquals("play", json(line, "state"));
    assertEquals(json(http, "queue_index"), json(line, "song"));
    assertEquals(json(http, "volume"), json(line, "volume"));
    assertEquals(json(http, "item_id"), json(line, "songid"));
    assertEquals(json(http, "item_id"), json(line, "id"));
    assertEquals(json(http, "queue_length"), json(line, "length"));
    assertEquals(MpdFixture.FIRST, json(line, "file"));
    assertTrue(line.contains("\"found\": [\"" + MpdFixture.THIRD + "\"]"), line);
    assertEquals("2", json(line, "listed"));
    long cover = Files.size(MpdFixture.resource("/library/cover_32x32_red.png"));
    assertEquals(Long.toString(cover), json(line, "art"));
    post("/api/v1/player/volume", "{\"volume\": 46}");
    assertEquals("['mixer']", in.readLine());
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }

  // ---- helpers ----

  static boolean pythonMpd() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import mpd").start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/mpc", "-h", "127.0.0.1", "-p"));
    cmd.add(Integer.toString(daemon.mpdPort()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  static String mpc(String... args) throws Exception {
    Process p = start(args);
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "mpc " + String.join(" ", args) + ": " + new String(out));
    return new String(out, StandardCharsets.UTF_8);
  }

  static void awaitMpdConnections(int n) throws Exception {
    String want = "tonearm_mpd_open_connections " + n + ".0\n"; // Prometheus text
    long deadline = System.nanoTime() + 20_000_000_000L;
    String metrics;
    while (!(metrics = http("/metrics")).contains(want)) {
      assertTrue(System.nanoTime() < deadline, "never " + n + " MPD connections:\n" + metrics);
      Thread.sleep(10);
    }
  }

  static String http(String path) throws Exception {
    return MpdFixture.http(daemon, "GET", path, null);
  }

  static String post(String path, String body) throws Exception {
    return MpdFixture.http(daemon, "POST", path, body == null ? "{}" : body);
  }

  /** The first value of a JSON field, string or number, as text; "0" when absent (a default). */
  static String json(String text, String key) {
    Matcher m =
        Pattern.compile("\"" + key + "\":\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9.]+))")
            .matcher(text);
    if (!m.find()) {
      return "0";
    }
    return m.group(2) != null ? m.group(2) : m.group(3);
  }
}
