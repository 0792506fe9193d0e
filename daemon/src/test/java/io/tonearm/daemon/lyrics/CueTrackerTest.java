package io.tonearm.daemon.lyrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.library.TimedLyrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the next cue can change: the next line's or word's start after a position. */
class CueTrackerTest {

  static final TimedLyrics LYRICS =
      new TimedLyrics(
          "sidecar",
          true,
          List.of(
              new TimedLyrics.Line(5_000, "Before", List.of()),
              new TimedLyrics.Line(
                  12_340,
                  "The line",
                  List.of(
                      new TimedLyrics.Word(12_340, "The"), new TimedLyrics.Word(12_800, "line"))),
              new TimedLyrics.Line(20_000, "After", List.of())),
          List.of());

  @Test
  void theNextStartIsTheNextLineOrTheNextWordOfTheLineHeard() {
    CueTracker c = new CueTracker();
    c.load(LYRICS);
    assertEquals(5_000_000, c.nextStartAfter(0), "before the first line");
    assertEquals(12_340_000, c.nextStartAfter(5_000_000), "at a start: the one after it");
    assertEquals(12_800_000, c.nextStartAfter(12_340_000), "the line's second word");
    assertEquals(20_000_000, c.nextStartAfter(12_800_000), "past the last word: the next line");
    assertEquals(Long.MAX_VALUE, c.nextStartAfter(20_000_000), "none left");
  }

  @Test
  void untimedLyricsHaveNoNextStart() {
    CueTracker c = new CueTracker();
    c.load(new TimedLyrics("tag", false, List.of(), List.of()));
    assertEquals(Long.MAX_VALUE, c.nextStartAfter(0));
  }
}
