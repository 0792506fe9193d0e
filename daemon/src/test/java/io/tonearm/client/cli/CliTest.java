package io.tonearm.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tonearm.client.TestMusic;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueReply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against the real daemon: output, --json, exit codes. */
class CliTest {

  @TempDir static Path dir;
  private static Daemon daemon;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    TestMusic.wav(dir.resolve("Alpha/one.wav"), 20);
    TestMusic.wav(dir.resolve("Alpha/two.wav"), 20);
    TestMusic.wav(dir.resolve("Beta/three.wav"), 20);
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static Result run(String... args) {
    return runWith(Map.of("TONEARM_PORT", String.valueOf(daemon.port())), args);
  }

  private static Result runWith(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  @Test
  void tokenCreateListUseAndRevoke() throws Exception {
    Result made =
        ok("token", "create", "--name", "cli phone", "--scope", "read", "--expires", "1d");
    String secret = made.out().lines().findFirst().orElseThrow();
    assertTrue(secret.startsWith("tnrm_") && secret.length() == 48, made.out());
    assertTrue(made.out().contains("cli phone") && made.out().contains("read"), made.out());
    Result list = ok("token", "list");
    assertTrue(list.out().contains("cli phone"), list.out());
    assertTrue(!list.out().contains(secret), "list never shows a secret");
    Result as = run("--token", secret, "vol", "10");
    assertEquals(Cli.SERVER_ERROR, as.code(), as.err());
    assertTrue(as.err().contains("scope_missing"), as.err());
    assertEquals(0, run("--token", secret, "status").code());
    String id = made.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
    assertTrue(ok("token", "revoke", id).out().contains("revoked"));
    Result after = run("--token", secret, "status");
    assertEquals(Cli.SERVER_ERROR, after.code());
    assertTrue(after.err().contains("token_revoked"), after.err());
    assertEquals(Cli.USAGE, run("token", "create", "--name", "x").code(), "no scope");
    assertEquals(
        Cli.USAGE,
        run("token", "create", "--name", "x", "--scope", "read", "--expires", "-3").code());
  }

  @Test
  void statusAndVolumeInTextAndJson() throws Exception {
    ok("stop");
    ok("vol", "30");
    Result plus = ok("vol", "+5");
    assertTrue(plus.out().contains("volume:  35%"), plus.out());
    Result json = ok("--json", "status");
    PlayerReply.Builder b = PlayerReply.newBuilder();
    JsonFormat.parser().merge(json.out().trim(), b);
    assertEquals(35, b.getState().getVolume());
    assertTrue(ok("status").out().contains("[stopped]"));
    assertTrue(ok("mute", "on").out().contains("(muted)"));
    ok("mute", "off");
    assertTrue(ok("random").out().contains("random: on"));
    ok("random", "off");
    assertTrue(ok("repeat", "one").out().contains("repeat: one"));
    ok("repeat", "off");
    assertTrue(ok("single", "on").out().contains("single: on"));
    ok("single", "off");
    assertTrue(ok("consume", "on").out().contains("consume: on"));
    ok("consume", "off");
  }

  @Test
  void timesAreRoundedToTheNearestSecondAsMpcShowsThem() {
    assertEquals("0:00", PlayerCommands.clock(0));
    assertEquals("0:00", PlayerCommands.clock(499));
    assertEquals("0:01", PlayerCommands.clock(500));
    assertEquals("0:15", PlayerCommands.clock(15_499));
    assertEquals("0:16", PlayerCommands.clock(15_600));
    assertEquals("59:59", PlayerCommands.clock(3_599_499));
    assertEquals("1:00:00", PlayerCommands.clock(3_599_500));
    assertEquals("0:00", PlayerCommands.clock(-20));
  }

  @Test
  void queueBrowseSearchAndPlay() throws Exception {
    ok("queue", "clear");
    Result added = ok("--json", "queue", "add", "folder", "Alpha");
    QueueReply.Builder q = QueueReply.newBuilder();
    JsonFormat.parser().merge(added.out().trim(), q);
    assertEquals(2, q.getQueue().getItemsCount());
    ok("queue", "add", "Beta/three.wav");
    Result list = ok("queue");
    assertTrue(list.out().contains("   3  three"), list.out());
    Result play = ok("play", "2");
    assertTrue(play.out().contains("two") && play.out().contains("#2/3"), play.out());
    ok("pause");
    assertTrue(ok("seek", "0:05").out().contains("0:05/0:20"));
    assertTrue(ok("seek", "+3").out().contains("0:08/0:20"));
    ok("next");
    ok("prev");
    ok("toggle");
    ok("stop");
    ok("queue", "move", "3", "1");
    assertTrue(ok("queue").out().startsWith("   1  three"));
    ok("queue", "remove", "1");
    Result search = ok("search", "three");
    assertTrue(search.out().contains("three"), search.out());
    String trackId = search.out().split(" ")[0];
    ok("queue", "add", "track", trackId);
    ok("queue", "add", "search", "one");
    assertEquals(4, ok("queue").out().lines().count());
    assertTrue(ok("ls").out().contains("Alpha/\nBeta/"));
    assertTrue(ok("ls", "Alpha").out().contains("Alpha/one.wav"));
    assertEquals(2, run("ls", "Gamma").code());
    ok("queue", "clear");
    assertEquals("(queue empty)", ok("queue").out().trim());
  }

  @Test
  void playlistsSaveLoadDelete() {
    ok("queue", "clear");
    ok("queue", "add", "folder", "Beta");
    Result saved = ok("playlists", "save", "My", "mix");
    String id = saved.out().split(" ")[4];
    assertTrue(ok("playlists").out().contains("My mix (1 items)"));
    ok("queue", "clear");
    assertTrue(ok("playlists", "load", id).out().contains("added 1 tracks"));
    ok("playlists", "delete", id);
    assertEquals(1, run("playlists", "delete", id).code());
    ok("queue", "clear");
  }

  @Test
  void outputsScanAndAnalyze() throws Exception {
    assertTrue(ok("outputs").out().contains("null"));
    Result disabled = ok("outputs", "disable", "http-stream");
    assertTrue(disabled.out().contains("http-stream  disabled"), disabled.out());
    ok("outputs", "enable", "http-stream");
    Result scan = ok("scan");
    assertTrue(scan.out().contains("library.scan completed"), scan.out());
    assertTrue(scan.err().contains("100%"), scan.err());
    Result analyze = ok("--json", "analyze", "--all");
    Job.Builder j = Job.newBuilder();
    JsonFormat.parser().merge(analyze.out().trim(), j);
    assertEquals(JobState.JOB_STATE_COMPLETED, j.getState());
    assertEquals(3, j.getDone());
  }

  @Test
  void watchPrintsEventsAsTheyHappen() throws Exception {
    CompletableFuture<Result> watch =
        CompletableFuture.supplyAsync(
            () -> run("--json", "watch", "--topics", "player", "--count", "2"));
    List<Integer> volumes = new ArrayList<>();
    for (int v = 10; !watch.isDone() && v < 100; v++) {
      ok("vol", String.valueOf(v)); // until the watcher is connected and has seen two
      volumes.add(v);
      Thread.sleep(50);
    }
    Result r = watch.get();
    assertEquals(0, r.code(), r.err());
    assertEquals(2, r.out().lines().count(), r.out());
    assertTrue(r.out().lines().allMatch(l -> l.contains("\"player\"")), r.out());
  }

  @Test
  void metersPrintLiveFrames() {
    ok("queue", "clear");
    ok("queue", "add", "Alpha/one.wav");
    ok("play");
    Result r = ok("--json", "meters", "--count", "2", "--fps", "20");
    assertEquals(2, r.out().lines().count());
    assertTrue(r.out().contains("momentary_lufs"), r.out());
    Result text = ok("meters", "--count", "1");
    assertTrue(text.out().contains("LUFS") && text.out().contains("["), text.out());
    ok("stop");
  }

  @Test
  void exitCodesForUsageServerErrorsAndADownDaemon() throws Exception {
    assertEquals(2, run("bogus").code());
    assertEquals(2, run("vol", "101").code());
    assertEquals(2, run("vol", "loud").code());
    assertEquals(2, run("seek").code());
    assertEquals(2, run("--port", "0", "status").code());
    Result refused = run("outputs", "enable", "nope");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("not_found"), refused.err());
    assertEquals(1, run("--json", "outputs", "enable", "nope").code());
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    Result down = runWith(Map.of(), "--port", String.valueOf(dead), "status");
    assertEquals(3, down.code());
    assertTrue(down.err().contains("cannot reach the Tonearm daemon"), down.err());
    assertEquals(3, runWith(Map.of("TONEARM_PORT", String.valueOf(dead)), "play").code());
    Result completion = ok("completion");
    assertTrue(completion.out().contains("complete -F _tonearm tonearm"));
    assertTrue(completion.out().contains("playlists"));
  }

  @Test
  void zonesAreMadeUsedAndRemovedWithZoneFlag() {
    Result made = ok("zone", "create", "den", "The Den");
    assertTrue(made.out().contains("den") && made.out().contains("The Den"), made.out());
    assertTrue(ok("zone", "list").out().contains("den"));
    ok("--zone", "den", "vol", "17");
    assertTrue(ok("--zone", "den", "--json", "status").out().contains("\"volume\":17"));
    assertFalse(ok("--json", "status").out().contains("\"volume\":17"), "default kept its own");
    Result missing = run("--zone", "nosuch", "status");
    assertEquals(1, missing.code(), missing.err());
    assertTrue(missing.err().contains("zone_not_found"), missing.err());
    Result bad = run("--zone", "Bad Zone", "status");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(ok("zone", "delete", "den").out().contains("removed"));
  }
}
