package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.audio.Transition;
import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.dsp.TrackGain;
import io.tonearm.daemon.library.TrackCatalog.CatalogTrack;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrossfadeTest {

  private static QueueEntry entry(
      long id, int rate, double seconds, String album, int track, String start, String end) {
    CatalogTrack t =
        new CatalogTrack(
            "t" + id,
            Path.of("/m/" + id + ".flac"),
            "title",
            "artist",
            album,
            (long) (seconds * 1000),
            TrackGain.NONE,
            album.isEmpty() ? "" : "album-" + album,
            1,
            track,
            start,
            end);
    QueueEntry e = new QueueEntry(id, t.file(), id + ".flac", t);
    e.format = new AudioFormat(rate, 2, (long) (seconds * rate), "flac", 16);
    return e;
  }

  private static QueueEntry plain(long id, double seconds) {
    return entry(id, 44_100, seconds, "", 0, "", "");
  }

  @Test
  void offOrUnknownFormatsJoinGaplessly() {
    assertEquals(Transition.GAPLESS, Crossfade.OFF.between(plain(1, 60), 1f, plain(2, 60), 1f));
    QueueEntry unopened = plain(2, 60);
    unopened.format = null;
    Crossfade five = new Crossfade(5, 0, -1, true);
    assertEquals(Transition.GAPLESS, five.between(plain(1, 60), 1f, unopened, 1f));
  }

  @Test
  void itemsOfOneFormatAndLongEnoughCrossfadeForTheSetSeconds() {
    Crossfade five = new Crossfade(5, 0, -1, true);
    assertEquals(new Transition(5, true), five.between(plain(1, 60), 1f, plain(2, 60), 1f));
  }

  @Test
  void anotherRateAShortItemOrAFadeAsLongAsAnItemStaysGapless() {
    Crossfade five = new Crossfade(5, 0, -1, true);
    QueueEntry other = entry(2, 48_000, 60, "", 0, "", "");
    assertEquals(Transition.GAPLESS, five.between(plain(1, 60), 1f, other, 1f));
    assertEquals(Transition.GAPLESS, five.between(plain(1, 60), 1f, plain(2, 19.9), 1f));
    Crossfade long25 = new Crossfade(25, 0, -1, true);
    assertEquals(Transition.GAPLESS, long25.between(plain(1, 60), 1f, plain(2, 24), 1f));
  }

  @Test
  void adjacentTracksOfOneAlbumStayGaplessUnlessAlbumsFadeToo() {
    QueueEntry one = entry(1, 44_100, 60, "X", 3, "", "");
    QueueEntry two = entry(2, 44_100, 60, "X", 4, "", "");
    QueueEntry skip = entry(3, 44_100, 60, "X", 6, "", "");
    assertEquals(Transition.GAPLESS, new Crossfade(5, 0, -1, true).between(one, 1f, two, 1f));
    assertEquals(new Transition(5, true), new Crossfade(5, 0, -1, true).between(one, 1f, skip, 1f));
    assertEquals(new Transition(5, true), new Crossfade(5, 0, -1, false).between(one, 1f, two, 1f));
  }

  @Test
  void mixRampOverlapsWhereBothAreBelowTheThresholdLessTheDelay() {
    QueueEntry from = entry(1, 44_100, 60, "", 0, "", "-30 1.0;-20 2.5;-10 4.0");
    QueueEntry to = entry(2, 44_100, 60, "", 0, "-40 0.2;-15 1.5;-5 3.0", "");
    Crossfade mix = new Crossfade(5, -17, 1, true);
    // end: first level >= -17 is -10 at 4.0 s; start: -15 at 1.5 s; 4.0 + 1.5 - 1 = 4.5 s
    assertEquals(new Transition(4.5, false), mix.between(from, 1f, to, 1f));
    // the incoming item played 6.02 dB down: its threshold is -10.98 dB, reached at -5 (3.0 s)
    assertEquals(new Transition(6.0, false), mix.between(from, 1f, to, 0.5f));
    // a delay longer than the overlap: no overlap at all, as MPD
    assertEquals(Transition.GAPLESS, new Crossfade(5, -17, 6, true).between(from, 1f, to, 1f));
  }

  @Test
  void mixRampWithoutBothTagsOrWithoutADelayCrossfades() {
    QueueEntry from = entry(1, 44_100, 60, "", 0, "", "-30 1.0;-10 4.0");
    QueueEntry untagged = plain(2, 60);
    assertEquals(
        new Transition(5, true), new Crossfade(5, -17, 1, true).between(from, 1f, untagged, 1f));
    QueueEntry to = entry(2, 44_100, 60, "", 0, "-40 0.2;-15 1.5", "");
    assertEquals(new Transition(5, true), new Crossfade(5, -17, 0, true).between(from, 1f, to, 1f));
  }
}
