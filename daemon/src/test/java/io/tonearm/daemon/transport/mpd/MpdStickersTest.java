package io.tonearm.daemon.transport.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.Daemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MPD's song stickers on a real daemon: answers and errors as MPD 0.23's, kept across restarts. */
class MpdStickersTest {

  @TempDir Path dir;

  @Test
  void stickersAreSetReadFoundDeletedAndKeptAcrossARestart() throws Exception {
    Daemon daemon = MpdFixture.start(dir);
    try (MpdClient c = new MpdClient(daemon.mpdPort());
        MpdClient idle = new MpdClient(daemon.mpdPort())) {
      String first = "\"" + MpdFixture.FIRST + "\"";
      String second = "\"" + MpdFixture.SECOND + "\"";
      String third = "\"" + MpdFixture.THIRD + "\"";
      idle.send("idle sticker");
      assertEquals(List.of("OK"), c.call("sticker set song " + first + " rating 8"));
      assertEquals(List.of("changed: sticker", "OK"), idle.reply());
      assertEquals(List.of("OK"), c.call("sticker set song " + first + " rating 9"));
      assertEquals(List.of("OK"), c.call("sticker set song " + first + " mood \"warm, slow\""));
      assertEquals(List.of("OK"), c.call("sticker set song " + second + " rating 4"));
      assertEquals(List.of("OK"), c.call("sticker set song " + third + " rating 6"));

      assertEquals(
          List.of("sticker: rating=9", "OK"), c.call("sticker get song " + first + " rating"));
      assertEquals(
          List.of("sticker: mood=warm, slow", "sticker: rating=9", "OK"),
          c.call("sticker list song " + first));
      assertEquals(
          List.of(
              "file: " + MpdFixture.FIRST,
              "sticker: rating=9",
              "file: " + MpdFixture.SECOND,
              "sticker: rating=4",
              "OK"),
          c.call("sticker find song \"Artist A\" rating"));
      assertEquals(
          List.of("file: " + MpdFixture.THIRD, "sticker: rating=6", "OK"),
          c.call("sticker find song \"\" rating = 6"));
      // Values compare as text, as MPD's SQL compares them: "4" < "6" < "9".
      assertEquals(
          List.of("file: " + MpdFixture.SECOND, "sticker: rating=4", "OK"),
          c.call("sticker find song \"\" rating < 6"));
      assertEquals(
          List.of("file: " + MpdFixture.FIRST, "sticker: rating=9", "OK"),
          c.call("sticker find song \"\" rating > 6"));
      // "Artist" is not a directory above "Artist A/...": a prefix of a name does not count.
      assertEquals(List.of("OK"), c.call("sticker find song Artist rating"));

      assertEquals(
          List.of("ACK [50@0] {sticker} no such sticker"),
          c.call("sticker get song " + first + " tempo"));
      assertEquals(
          List.of("ACK [50@0] {sticker} No such song"),
          c.call("sticker set song \"Artist A/none.flac\" rating 1"));
      assertEquals(
          List.of("ACK [2@0] {sticker} unknown sticker domain"),
          c.call("sticker get album x rating"));
      assertEquals(List.of("ACK [2@0] {sticker} bad request"), c.call("sticker get song " + first));
      assertEquals(
          List.of("ACK [2@0] {sticker} bad operator"), c.call("sticker find song \"\" rating ~ 6"));
      assertEquals(
          List.of("ACK [2@0] {sticker} bad request"), c.call("sticker frob song " + first));

      assertEquals(List.of("OK"), c.call("sticker delete song " + second + " rating"));
      assertEquals(
          List.of("ACK [50@0] {sticker} no such sticker"),
          c.call("sticker delete song " + second + " rating"));
      assertEquals(List.of("OK"), c.call("sticker delete song " + third));
      assertEquals(List.of("OK"), c.call("sticker list song " + third));
    } finally {
      daemon.close();
    }

    // A new daemon on the same data: what was set is there.
    daemon = MpdFixture.open(dir);
    try (MpdClient c = new MpdClient(daemon.mpdPort())) {
      assertEquals(
          List.of("sticker: mood=warm, slow", "sticker: rating=9", "OK"),
          c.call("sticker list song \"" + MpdFixture.FIRST + "\""));
      assertEquals(
          List.of("file: " + MpdFixture.FIRST, "sticker: rating=9", "OK"),
          c.call("sticker find song \"\" rating"));
    } finally {
      daemon.close();
    }
  }

  @Test
  void aSongHoldsAtMostItsBoundOfStickers() throws Exception {
    Daemon daemon = MpdFixture.start(dir);
    try (MpdClient c = new MpdClient(daemon.mpdPort())) {
      String song = "\"" + MpdFixture.THIRD + "\"";
      c.send("command_list_begin");
      for (int i = 0; i < 256; i++) {
        c.send("sticker set song " + song + " n" + i + " v");
      }
      assertEquals(List.of("OK"), c.call("command_list_end"));
      assertEquals(
          List.of("ACK [51@0] {sticker} a song has at most 256 stickers"),
          c.call("sticker set song " + song + " one-more v"));
      // Replacing a value is not a new sticker.
      assertEquals(List.of("OK"), c.call("sticker set song " + song + " n0 w"));
      assertEquals(257, c.call("sticker list song " + song).size());
    } finally {
      daemon.close();
    }
  }
}
