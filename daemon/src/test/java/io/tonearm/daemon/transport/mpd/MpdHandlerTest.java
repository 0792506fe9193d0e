package io.tonearm.daemon.transport.mpd;

import static io.tonearm.daemon.transport.mpd.MpdClient.field;
import static io.tonearm.daemon.transport.mpd.MpdClient.fields;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MPD's protocol end to end on a real daemon: commands, lists, idle, errors and bounds. */
class MpdHandlerTest {

  @TempDir static Path dir;
  static Daemon daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = MpdFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @BeforeEach
  void emptyQueue() throws Exception {
    try (MpdClient c = client()) {
      c.call("stop");
      c.call("clear");
    }
  }

  static MpdClient client() throws IOException {
    return new MpdClient(daemon.mpdPort());
  }

  @Test
  void greetsWithProtocolVersion() throws Exception {
    try (MpdClient c = client()) {
      assertEquals("OK MPD 0.23.5", c.greeting);
      assertEquals(List.of("OK"), c.call("ping"));
    }
  }

  @Test
  void addPlaylistinfoAndIdsAreQueueItemIds() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("add \"Artist A\""));
      List<String> id = c.call("addid \"" + MpdFixture.THIRD + "\" 0");
      List<String> info = c.call("playlistinfo");
      assertEquals(
          List.of(MpdFixture.THIRD, MpdFixture.FIRST, MpdFixture.SECOND), fields(info, "file"));
      assertEquals(List.of("0", "1", "2"), fields(info, "Pos"));
      assertEquals(field(id, "Id"), fields(info, "Id").get(0));
      assertEquals("First", fields(info, "Title").get(1));
      assertEquals("Album One", fields(info, "Album").get(1));
      assertEquals("2001", fields(info, "Date").get(1));
      // The same ids over HTTP.
      String q = MpdFixture.http(daemon, "GET", "/api/v1/queue", null);
      for (String i : fields(info, "Id")) {
        assertTrue(q.contains("\"item_id\":\"" + i + "\""), q);
      }
      assertEquals("3", field(c.call("status"), "playlistlength"));
    }
  }

  @Test
  void playSetsStatusAndCurrentsong() throws Exception {
    try (MpdClient c = client()) {
      c.call("add \"Artist A/Album One\"");
      c.call("repeat 1");
      assertEquals(List.of("OK"), c.call("play 1"));
      List<String> st = c.call("status");
      assertEquals("play", field(st, "state"));
      assertEquals("1", field(st, "song"));
      List<String> cur = c.call("currentsong");
      assertEquals(MpdFixture.SECOND, field(cur, "file"));
      assertEquals(field(st, "songid"), field(cur, "Id"));
      // Under repeat the song after the last is the first, named by position and by id.
      assertEquals("0", field(st, "nextsong"));
      assertEquals(fields(c.call("playlistinfo"), "Id").get(0), field(st, "nextsongid"));
      assertEquals(List.of("OK"), c.call("pause 1"));
      assertEquals("pause", field(c.call("status"), "state"));
      String http = MpdFixture.http(daemon, "GET", "/api/v1/player", null);
      assertTrue(http.contains("PLAYBACK_STATE_PAUSED"), http);
      c.call("stop");
      c.call("repeat 0");
    }
  }

  @Test
  void nextAndPreviousPlayTheSongTheyReachAndNeedAPlayingOrPausedPlayer() throws Exception {
    try (MpdClient c = client()) {
      c.call("add \"Artist A/Album One\"");
      assertEquals(List.of("ACK [55@0] {next} Not playing"), c.call("next"));
      assertEquals(List.of("ACK [55@0] {previous} Not playing"), c.call("previous"));
      assertEquals(List.of("OK"), c.call("play 0"));
      assertEquals(List.of("OK"), c.call("pause 1"));
      assertEquals(List.of("OK"), c.call("next"));
      List<String> st = c.call("status");
      assertEquals("1", field(st, "song"));
      assertEquals("play", field(st, "state"), "MPD's next plays, also from pause");
      assertEquals(List.of("OK"), c.call("pause 1"));
      assertEquals(List.of("OK"), c.call("previous"));
      st = c.call("status");
      assertEquals("0", field(st, "song"));
      assertEquals("play", field(st, "state"));
      c.call("stop");
    }
  }

  @Test
  void singleAndConsumeOneshotAreStatusOneshotAndThePlayerStatesOneshot() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("single oneshot"));
      assertEquals(List.of("OK"), c.call("consume oneshot"));
      List<String> st = c.call("status");
      assertEquals("oneshot", field(st, "single"));
      assertEquals("oneshot", field(st, "consume"));
      String http = MpdFixture.http(daemon, "GET", "/api/v1/player", null);
      assertTrue(http.contains("\"single_oneshot\":true"), http);
      assertTrue(http.contains("\"consume_oneshot\":true"), http);
      assertEquals(List.of("OK"), c.call("single 1"));
      assertEquals("1", field(c.call("status"), "single"));
      assertEquals(List.of("OK"), c.call("single 0"));
      assertEquals(List.of("OK"), c.call("consume 0"));
      st = c.call("status");
      assertEquals("0", field(st, "single"));
      assertEquals("0", field(st, "consume"));
      assertEquals(
          List.of("ACK [2@0] {single} Boolean (0/1) expected: twice"), c.call("single twice"));
    }
  }

  @Test
  void prioAndPrioidSetTheQueuePriorityThatRandomPlaysFirst() throws Exception {
    try (MpdClient c = client()) {
      c.call("add \"Artist A\"");
      c.call("add \"" + MpdFixture.THIRD + "\"");
      List<String> ids = fields(c.call("playlistinfo"), "Id");
      assertEquals(List.of("OK"), c.call("random 1"));
      assertEquals(List.of("OK"), c.call("prioid 200 " + ids.get(2)));
      assertEquals(List.of("OK"), c.call("prio 7 0:2"));
      List<String> info = c.call("playlistinfo");
      assertEquals(List.of("7", "7", "200"), fields(info, "Prio"));
      String q = MpdFixture.http(daemon, "GET", "/api/v1/queue", null);
      assertTrue(q.contains("\"priority\":200"), q);
      // Nothing is current: the first song random plays is the highest priority.
      assertEquals(List.of("OK"), c.call("play"));
      assertEquals(ids.get(2), field(c.call("status"), "songid"));
      c.call("stop");
      assertEquals(List.of("ACK [2@0] {prio} Priority out of range: 256"), c.call("prio 256 0"));
      assertEquals(List.of("ACK [50@0] {prioid} No such song"), c.call("prioid 1 99999"));
      c.call("random 0");
    }
  }

  @Test
  void volumeFromMpdIsTheHttpVolumeAndBack() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("setvol 37"));
      assertTrue(MpdFixture.http(daemon, "GET", "/api/v1/player", null).contains("\"volume\":37"));
      MpdFixture.http(daemon, "POST", "/api/v1/player/volume", "{\"volume\": 52}");
      assertEquals("52", field(c.call("getvol"), "volume"));
      assertEquals(List.of("OK"), c.call("volume -2"));
      assertEquals("50", field(c.call("status"), "volume"));
      assertEquals(List.of("ACK [2@0] {setvol} Invalid volume value"), c.call("setvol 101"));
    }
  }

  @Test
  void clientToClientMessagesReachSubscribersAndWakeTheirIdle() throws Exception {
    try (MpdClient a = client();
        MpdClient b = client();
        MpdClient sender = client()) {
      assertEquals(List.of("OK"), a.call("channels"));
      // Subscribing is the global "subscription" event, also for the subscriber's own idle.
      b.send("idle subscription");
      assertEquals(List.of("OK"), a.call("subscribe lyrics:sync"));
      assertEquals(List.of("changed: subscription", "OK"), b.reply());
      assertEquals(List.of("OK"), b.call("subscribe lyrics:sync"));
      assertEquals(List.of("OK"), b.call("subscribe other"));
      assertEquals(
          List.of("channel: lyrics:sync", "channel: other", "OK"), sender.call("channels"));
      assertEquals(
          List.of("ACK [56@0] {subscribe} already subscribed to this channel"),
          a.call("subscribe lyrics:sync"));
      assertEquals(
          List.of("ACK [2@0] {subscribe} invalid channel name"), a.call("subscribe \"no way\""));
      assertEquals(List.of("ACK [2@0] {subscribe} invalid channel name"), a.call("subscribe \"\""));

      // A waiting subscriber wakes with "message"; every subscriber gets each message once.
      a.send("idle message");
      assertEquals(List.of("OK"), sender.call("sendmessage lyrics:sync \"line 1\""));
      assertEquals(List.of("changed: message", "OK"), a.reply());
      assertEquals(List.of("OK"), sender.call("sendmessage lyrics:sync \"line 2\""));
      assertEquals(
          List.of(
              "channel: lyrics:sync",
              "message: line 1",
              "channel: lyrics:sync",
              "message: line 2",
              "OK"),
          a.call("readmessages"));
      assertEquals(List.of("OK"), a.call("readmessages"));
      assertEquals(
          List.of("channel: lyrics:sync", "message: line 1"), b.call("readmessages").subList(0, 2));
      assertEquals(
          List.of("ACK [50@0] {sendmessage} nobody is subscribed to this channel"),
          sender.call("sendmessage nobody hi"));
      assertEquals(
          List.of("ACK [2@0] {sendmessage} invalid channel name"),
          sender.call("sendmessage \"a b\" hi"));

      // Unsubscribing: the channel goes when its last subscriber leaves or closes.
      assertEquals(List.of("OK"), a.call("unsubscribe lyrics:sync"));
      assertEquals(
          List.of("ACK [50@0] {unsubscribe} not subscribed to this channel"),
          a.call("unsubscribe lyrics:sync"));
      assertEquals(List.of("OK"), sender.call("sendmessage lyrics:sync x"));
      assertEquals(List.of("OK"), a.call("readmessages"));
      b.close();
      for (int i = 0; i < 100 && sender.call("channels").size() > 1; i++) {
        Thread.sleep(20);
      }
      assertEquals(List.of("OK"), sender.call("channels"));
    }
  }

  @Test
  void channelsAndMailboxesAreBoundedAsMpds() throws Exception {
    try (MpdClient a = client();
        MpdClient sender = client()) {
      for (int i = 0; i < 16; i++) {
        assertEquals(List.of("OK"), a.call("subscribe c" + i));
      }
      assertEquals(
          List.of("ACK [56@0] {subscribe} subscription list is full"), a.call("subscribe c16"));
      for (int i = 0; i < 64; i++) {
        assertEquals(List.of("OK"), sender.call("sendmessage c0 m" + i));
      }
      // The 65th unread message has no room: nobody took it.
      assertEquals(
          List.of("ACK [50@0] {sendmessage} nobody is subscribed to this channel"),
          sender.call("sendmessage c0 m64"));
      List<String> read = a.call("readmessages");
      assertEquals(64 * 2 + 1, read.size());
      assertEquals("message: m0", read.get(1));
      assertEquals("message: m63", read.get(127));
      assertEquals(List.of("OK"), sender.call("sendmessage c0 again"));
    }
  }

  @Test
  void idleReportsChangesFromHttp() throws Exception {
    try (MpdClient idle = client();
        MpdClient c = client()) {
      idle.send("idle mixer");
      MpdFixture.http(daemon, "POST", "/api/v1/player/volume", "{\"volume\": 11}");
      assertEquals(List.of("changed: mixer", "OK"), idle.reply());
      idle.send("idle playlist player");
      c.call("add \"" + MpdFixture.FIRST + "\"");
      assertEquals(List.of("changed: playlist", "OK"), idle.reply());
      // A change while not idling is kept for the next idle.
      c.call("random 1");
      assertEquals(List.of("changed: options", "OK"), idle.call("idle options"));
      idle.send("idle");
      assertEquals(List.of("OK"), idle.call("noidle"));
      assertEquals(List.of("OK"), idle.call("ping"));
      c.call("random 0");
    }
  }

  @Test
  void crossfadeAndMixRampAreTheSettingsTopicsCrossfade() throws Exception {
    try (MpdClient idle = client();
        MpdClient c = client()) {
      idle.send("idle options");
      assertEquals(List.of("OK"), c.call("crossfade 5"));
      assertEquals(List.of("changed: options", "OK"), idle.reply());
      assertEquals(List.of("OK"), c.call("mixrampdb -17.5"));
      assertEquals(List.of("OK"), c.call("mixrampdelay 2"));
      List<String> status = c.call("status");
      assertEquals("5", field(status, "xfade"));
      assertEquals("-17.5", field(status, "mixrampdb"), "MPD 0.23's shortest form");
      assertEquals("2", field(status, "mixrampdelay"));
      String settings = MpdFixture.http(daemon, "GET", "/api/v1/settings", null);
      assertTrue(
          settings.contains(
              "\"crossfade\":{\"seconds\":5.0,\"mixramp_db\":-17.5,\"mixramp_delay_seconds\":2.0,"),
          settings);
      assertEquals(List.of("OK"), c.call("mixrampdelay nan"));
      assertEquals(null, field(c.call("status"), "mixrampdelay"));
      List<String> refused = c.call("crossfade 31");
      assertTrue(refused.get(0).startsWith("ACK [2@0] {crossfade} "), refused.toString());
      assertEquals(List.of("ACK [2@0] {mixrampdb} Float expected: loud"), c.call("mixrampdb loud"));
      assertEquals("5", field(c.call("status"), "xfade"));
      assertEquals(List.of("OK"), c.call("crossfade 0"));
      assertEquals(null, field(c.call("status"), "xfade"));
      c.call("mixrampdb 0");
    }
  }

  @Test
  void commandDuringIdleClosesTheConnection() throws Exception {
    try (MpdClient c = client()) {
      c.send("idle");
      assertEquals(List.of("<closed>"), c.call("status"));
    }
  }

  @Test
  void commandListsAnswerOnceAndStopAtTheFirstError() throws Exception {
    try (MpdClient c = client()) {
      c.send("command_list_ok_begin");
      c.send("ping");
      c.send("setvol 20");
      c.send("command_list_end");
      assertEquals(List.of("list_OK", "list_OK", "OK"), c.reply());
      // The example of protocol.rst: the second command fails, the third never runs.
      c.send("command_list_begin");
      c.send("volume 86");
      c.send("play 10240");
      c.send("status");
      c.send("command_list_end");
      assertEquals(List.of("ACK [2@1] {play} Bad song index"), c.reply());
    }
  }

  @Test
  void errorsAreAnsweredAsMpdDoes() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("ACK [5@0] {} unknown command \"frobnicate\""), c.call("frobnicate"));
      assertEquals(
          List.of("ACK [2@0] {setvol} wrong number of arguments for \"setvol\""), c.call("setvol"));
      assertEquals(List.of("ACK [5@0] {} Missing closing '\"'"), c.call("find \"artist"));
      assertEquals(List.of("ACK [50@0] {deleteid} No such song"), c.call("deleteid 999999"));
      assertEquals(List.of("ACK [50@0] {lsinfo} No such directory"), c.call("lsinfo nowhere"));
      assertEquals(List.of("ACK [2@0] {play} Integer expected: x"), c.call("play x"));
      // The connection is still usable.
      assertEquals(List.of("OK"), c.call("ping"));
    }
  }

  @Test
  void binaryGarbageIsAnsweredThenClosed() throws Exception {
    try (MpdClient c = client()) {
      c.out.write(new byte[] {(byte) 0xff, 0x00, (byte) 0x80, 0x01, '\n'});
      c.out.flush();
      assertEquals(List.of("ACK [5@0] {} Letter expected", "<closed>"), readAll(c));
    }
  }

  @Test
  void overlongLineClosesWithoutAffectingOthers() throws Exception {
    try (MpdClient bad = client();
        MpdClient good = client()) {
      bad.send("find artist \"" + "x".repeat(9000) + "\"");
      assertEquals(List.of("<closed>"), readAll(bad));
      assertEquals(List.of("OK"), good.call("ping"));
    }
  }

  @Test
  void oversizedCommandListCloses() throws Exception {
    try (MpdClient c = client()) {
      c.send("command_list_begin");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 10_000; i++) {
        sb.append("ping ").append("y".repeat(250)).append('\n');
      }
      try {
        c.out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
      } catch (IOException closedWhileWriting) {
        // the daemon may close before it took every byte
      }
      assertEquals(List.of("<closed>"), readAll(c));
    }
  }

  @Test
  void tenThousandCommandsInOneListRun() throws Exception {
    try (MpdClient c = client()) {
      StringBuilder sb = new StringBuilder("command_list_begin\n");
      for (int i = 0; i < 10_000; i++) {
        sb.append("ping\n");
      }
      sb.append("command_list_end\n");
      c.out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
      c.out.flush();
      assertEquals(List.of("OK"), c.reply());
    }
  }

  @Test
  void oldStyleSearchPairsMatchAnywhereAndFindPairsTheWholeValue() throws Exception {
    // mpc search title WORD and python-mpd2's search('title', ...) send these pairs: MPD 0.20's
    // form, where search (folding case) matches anywhere in the value.
    try (MpdClient c = client()) {
      assertEquals(List.of(MpdFixture.FIRST), fields(c.call("search title IRS"), "file"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("search album \"album o\" artist \"a\""), "file"));
      assertEquals(List.of(MpdFixture.THIRD), fields(c.call("search any \"hIR\""), "file"));
      assertEquals(
          List.of(),
          fields(c.call("search any \"03 th\""), "file"),
          "any is every tag's value, not the URI (as MPD's TagSongFilter)");
      assertEquals(List.of(), fields(c.call("find title irs"), "file"));
      assertEquals(List.of(MpdFixture.FIRST), fields(c.call("find title First"), "file"));
    }
  }

  @Test
  void playWithAnEmptyQueueDoesNothingAsMpd() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("play"));
      assertEquals(List.of("OK"), c.call("playid"));
      assertEquals(List.of("OK"), c.call("play -1"));
      assertEquals("stop", field(c.call("status"), "state"));
      assertEquals("ACK [2@0] {play} Bad song index", c.call("play 0").get(0));
    }
  }

  @Test
  void findSearchListAndCount() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("find \"(artist == 'Artist A')\""), "file"));
      assertEquals(List.of(), fields(c.call("find \"(artist == 'artist a')\""), "file"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("search \"(artist == 'artist a')\""), "file"));
      assertEquals(
          List.of(MpdFixture.THIRD),
          fields(c.call("search \"(!(album starts_with 'album'))\""), "file"));
      assertEquals(
          List.of(MpdFixture.SECOND),
          fields(c.call("find \"((album == 'Album One') AND (title contains 'eco'))\""), "file"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("find \"(base 'Artist A')\""), "file"));
      assertEquals(List.of(MpdFixture.THIRD), fields(c.call("find title Third"), "file"));
      assertEquals(
          List.of("Artist: Artist A", "Album: Album One", "Artist: Artist B", "Album: Other", "OK"),
          c.call("list album group artist"));
      assertEquals(List.of("Album: Album One", "OK"), c.call("list album \"Artist A\""));
      List<String> count = c.call("count \"(genre == 'Rock')\"");
      assertEquals("3", field(count, "songs"));
    }
  }

  @Test
  void songsCarryFormatAndTheDateAsWritten() throws Exception {
    try (MpdClient c = client()) {
      List<String> flac = c.call("find file \"" + MpdFixture.FIRST + "\"");
      assertEquals("44100:16:1", field(flac, "Format"), "rate, bit depth, channels");
      assertEquals("2001", field(flac, "Date"));
      List<String> mp3 = c.call("find file \"" + MpdFixture.THIRD + "\"");
      assertEquals("44100:f:1", field(mp3, "Format"), "a lossy file decodes to float");
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND, MpdFixture.THIRD),
          fields(c.call("find date 2001"), "file"));
    }
  }

  @Test
  void albumArtistFallsBackToArtistAndSongsWithoutATagListAnEmptyValue() throws Exception {
    // The fixture's songs have artists but no album artist and no disc number.
    try (MpdClient c = client()) {
      assertEquals(
          List.of("AlbumArtist: Artist A", "AlbumArtist: Artist B", "OK"),
          c.call("list albumartist"));
      assertEquals(
          List.of(
              "AlbumArtist: Artist A",
              "Album: Album One",
              "AlbumArtist: Artist B",
              "Album: Other",
              "OK"),
          c.call("list album group albumartist"));
      List<String> counted = c.call("count group albumartist");
      assertEquals(List.of("AlbumArtist: Artist A", "songs: 2"), counted.subList(0, 2));
      assertEquals(
          List.of(MpdFixture.THIRD), fields(c.call("find albumartist \"Artist B\""), "file"));
      assertEquals(List.of("Disc: ", "OK"), c.call("list disc"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND, MpdFixture.THIRD),
          fields(c.call("search \"(disc contains '')\""), "file"),
          "an empty value matches songs without the tag");
      assertEquals(List.of(), fields(c.call("find \"(genre == '')\""), "file"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND, MpdFixture.THIRD),
          fields(c.call("list filename"), "file"),
          "filename is MPD's older name of file");
    }
  }

  @Test
  void regularExpressionFiltersAreFoundAnywhereAndBounded() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("find \"(artist =~ '^Artist A$')\""), "file"));
      assertEquals(List.of(), fields(c.call("find \"(title =~ '^fir')\""), "file"));
      assertEquals(
          List.of(MpdFixture.FIRST), fields(c.call("search \"(title =~ '^fir')\""), "file"));
      assertEquals(
          List.of(MpdFixture.SECOND, MpdFixture.THIRD),
          fields(c.call("find \"(title !~ 'st$')\""), "file"));
      assertEquals(
          List.of(MpdFixture.THIRD), fields(c.call("find \"(file =~ '\\\\.mp3$')\""), "file"));
      assertTrue(
          c.call("find \"(artist =~ '(')\"")
              .get(0)
              .startsWith("ACK [2@0] {find} Invalid regular expression"));
      // The connection goes on after a refusal.
      assertEquals(List.of("OK"), c.call("ping"));
    }
  }

  @Test
  void aWrongPasswordLeavesATrustedLoopbackConnectionAsItWas() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("ACK [3@0] {password} incorrect password"), c.call("password secret"));
      assertEquals(List.of("OK"), c.call("ping"), "the connection stays, with every command");
      assertEquals("0", field(c.call("status"), "playlistlength"));
    }
  }

  @Test
  void browseTheTree() throws Exception {
    try (MpdClient c = client()) {
      List<String> root = c.call("lsinfo");
      assertEquals(List.of("Artist A", "Artist B"), fields(root, "directory"));
      assertEquals(
          List.of("Artist A/Album One"), fields(c.call("lsinfo \"Artist A\""), "directory"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND, MpdFixture.THIRD),
          fields(c.call("listall"), "file"));
      List<String> info = c.call("listallinfo \"Artist B\"");
      assertEquals(List.of("Artist B", "Artist B/Other"), fields(info, "directory"));
      assertEquals(
          List.of("directory: Artist A", "directory: Artist A/Album One"),
          c.call("listall \"Artist A\"").subList(0, 2),
          "the base directory first, as MPD's recursive walk");
      assertEquals("Third", field(info, "Title"));
      // lsinfo and listallinfo give a directory's own modification time, as MPD's full print.
      String artistB =
          "Last-Modified: "
              + java.time.Instant.ofEpochMilli(
                      Files.getLastModifiedTime(dir.resolve("music").resolve("Artist B"))
                          .toMillis())
                  .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      assertEquals(artistB, root.get(root.indexOf("directory: Artist B") + 1));
      assertEquals(List.of("directory: Artist B", artistB), info.subList(0, 2));
    }
  }

  @Test
  void albumartComesInChunksOfTheBinaryLimit() throws Exception {
    byte[] cover = Files.readAllBytes(MpdFixture.resource("/library/cover_32x32_red.png"));
    try (MpdClient c = client()) {
      assertEquals(List.of("OK"), c.call("binarylimit 64"));
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      int size = -1;
      while (size < 0 || got.size() < size) {
        c.send("albumart \"" + MpdFixture.FIRST + "\" " + got.size());
        size = Integer.parseInt(c.readLine().substring("size: ".length()));
        int n = Integer.parseInt(c.readLine().substring("binary: ".length()));
        assertTrue(n <= 64);
        got.write(c.readBytes(n));
        assertEquals("", c.readLine());
        assertEquals("OK", c.readLine());
      }
      assertArrayEquals(cover, got.toByteArray());
      assertEquals(
          List.of("ACK [50@0] {albumart} No file exists"),
          c.call("albumart \"" + MpdFixture.THIRD + "\" 0"));
      assertEquals(List.of("OK"), c.call("readpicture \"" + MpdFixture.THIRD + "\" 0"));
    }
  }

  @Test
  void storedPlaylists() throws Exception {
    try (MpdClient c = client()) {
      c.call("add \"Artist A\"");
      assertEquals(List.of("OK"), c.call("save mine"));
      assertEquals(List.of("ACK [56@0] {save} Playlist already exists"), c.call("save mine"));
      assertTrue(fields(c.call("listplaylists"), "playlist").contains("mine"));
      assertEquals(
          List.of(MpdFixture.FIRST, MpdFixture.SECOND),
          fields(c.call("listplaylist mine"), "file"));
      assertEquals(List.of("OK"), c.call("playlistadd mine \"" + MpdFixture.THIRD + "\""));
      assertEquals(List.of("OK"), c.call("playlistdelete mine 0"));
      assertEquals(List.of("OK"), c.call("rename mine yours"));
      c.call("clear");
      assertEquals(List.of("OK"), c.call("load yours"));
      assertEquals(
          List.of(MpdFixture.SECOND, MpdFixture.THIRD), fields(c.call("playlistinfo"), "file"));
      assertEquals(List.of("OK"), c.call("rm yours"));
      assertEquals(List.of("ACK [50@0] {rm} No such playlist"), c.call("rm yours"));
    }
  }

  @Test
  void plchangesListsWhatMovedSinceAVersion() throws Exception {
    try (MpdClient c = client()) {
      c.call("add \"Artist A\"");
      c.call("add \"Artist B\"");
      long v = Long.parseLong(field(c.call("status"), "playlist"));
      assertEquals(List.of("OK"), c.call("move 2 0"));
      List<String> ch = c.call("plchangesposid " + v);
      assertEquals(List.of("0", "1", "2"), fields(ch, "cpos"));
      long v2 = Long.parseLong(field(c.call("status"), "playlist"));
      assertTrue(v2 > v);
      assertEquals(List.of("OK"), c.call("plchanges " + v2));
      assertNull(field(c.call("plchanges " + v2), "file"));
    }
  }

  @Test
  void outputsAreListedAndToggled() throws Exception {
    try (MpdClient c = client()) {
      List<String> o = c.call("outputs");
      assertEquals("0", fields(o, "outputid").get(0));
      assertEquals(List.of("OK"), c.call("disableoutput 1"));
      assertEquals("0", fields(c.call("outputs"), "outputenabled").get(1));
      assertEquals(List.of("OK"), c.call("toggleoutput 1"));
      assertEquals("1", fields(c.call("outputs"), "outputenabled").get(1));
      assertEquals(
          List.of("ACK [50@0] {enableoutput} No such audio output"), c.call("enableoutput 9"));
    }
  }

  @Test
  void aClientThatNeverReadsDoesNotHoldUpOthers() throws Exception {
    try (MpdClient slow = client();
        MpdClient good = client()) {
      // 20,000 requests for cover chunks and listings, none of whose replies is read: the daemon
      // stops reading this connection once its socket is full, and answers the others.
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 10_000; i++) {
        sb.append("albumart \"").append(MpdFixture.FIRST).append("\" 0\nlistallinfo\n");
      }
      Thread writer =
          new Thread(
              () -> {
                try {
                  slow.out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException expected) {
                  // blocked until the socket closes
                }
              });
      writer.setDaemon(true);
      writer.start();
      Thread.sleep(1000);
      for (int i = 0; i < 20; i++) {
        assertEquals(List.of("OK"), good.call("ping"));
      }
      assertEquals(3, fields(good.call("listall"), "file").size());
    }
  }

  @Test
  void closeEndsTheConnection() throws Exception {
    try (MpdClient c = client()) {
      assertEquals(List.of("<closed>"), c.call("close"));
    }
  }

  private static List<String> readAll(MpdClient c) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    InputStream in = c.in;
    while (true) {
      String l;
      try {
        l = c.readLine();
      } catch (IOException reset) {
        l = null;
      }
      if (l == null) {
        lines.add("<closed>");
        return lines;
      }
      lines.add(l);
    }
  }
}
