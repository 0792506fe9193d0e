package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LrcParserTest {

  @Test
  void linesAreTimedAndSortedAndRepeatedStampsRepeatTheLine() {
    TimedLyrics l =
        LrcParser.parse(
            "[ti:Song]\n[ar:Someone]\n[00:12.34]First line\n[01:02.5][00:20.00]Chorus\n",
            "sidecar");
    assertTrue(l.timed());
    assertEquals(
        List.of(12_340L, 20_000L, 62_500L),
        l.lines().stream().map(TimedLyrics.Line::startMs).toList());
    assertEquals("Chorus", l.lines().get(1).text());
    assertEquals("Chorus", l.lines().get(2).text());
    assertTrue(l.problems().isEmpty());
  }

  @Test
  void enhancedLrcTimesEachWord() {
    TimedLyrics l =
        LrcParser.parse("[00:12.34]<00:12.34>Hello <00:12.900>big <00:13.5>world", "tag");
    TimedLyrics.Line line = l.lines().get(0);
    assertEquals("Hello big world", line.text());
    assertEquals(
        List.of(
            new TimedLyrics.Word(12_340, "Hello"),
            new TimedLyrics.Word(12_900, "big"),
            new TimedLyrics.Word(13_500, "world")),
        line.words());
  }

  @Test
  void theOffsetTagMakesLinesEarlier() {
    TimedLyrics l = LrcParser.parse("[offset:+500]\n[00:12.34]Line", "sidecar");
    assertEquals(11_840, l.lines().get(0).startMs());
  }

  @Test
  void aMalformedLineIsReportedByNumberAndTheRestKept() {
    TimedLyrics l =
        LrcParser.parse("[00:01.00]One\nno stamp here\n[00:03.00]Three\n[offset:x]\n", "sidecar");
    assertEquals(List.of("One", "Three"), l.lines().stream().map(TimedLyrics.Line::text).toList());
    assertEquals(
        List.of(
            "line 2: no [mm:ss.xx] time stamp", "line 4: offset is not a number of milliseconds"),
        l.problems());
  }

  @Test
  void plainTextIsNotTimed() {
    assertFalse(LrcParser.looksTimed("Just words\nand more"));
    assertTrue(LrcParser.looksTimed("intro\n[00:01.00]x"));
  }
}
