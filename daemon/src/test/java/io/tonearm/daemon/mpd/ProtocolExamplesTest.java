package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.LibraryTrack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of MPD's {@code doc/protocol.rst} (filters, escaping, quoting), replayed through the
 * line tokenizer and the filter parser. The command list example is replayed end to end in {@code
 * MpdHandlerTest}.
 */
class ProtocolExamplesTest {

  static LibraryTrack song(String artist, String album) {
    return LibraryTrack.newBuilder()
        .setPath(artist + "/" + album + "/1.flac")
        .setArtist(artist)
        .setAlbum(album)
        .setTitle("t")
        .build();
  }

  static Filter filterOf(String line, boolean fold) throws Exception {
    CommandLine c = CommandLine.parse(line);
    return Filter.parse(c.args(), fold);
  }

  @Test
  void escapingExampleMatchesFooQuoteBar() throws Exception {
    // protocol.rst: an artist named foo'bar" is found with this line at the protocol level.
    CommandLine c = CommandLine.parse("find \"(Artist == \\\"foo\\\\'bar\\\\\\\"\\\")\"");
    assertEquals("find", c.name());
    assertEquals(List.of("(Artist == \"foo\\'bar\\\"\")"), c.args());
    Filter f = Filter.parse(c.args(), false);
    assertTrue(f.test(song("foo'bar\"", "x")));
    assertFalse(f.test(song("foobar", "x")));
  }

  @Test
  void negationIsTheSameAsNotEquals() throws Exception {
    Filter a = filterOf("find \"(!(artist == 'VALUE'))\"", false);
    Filter b = filterOf("find \"(artist != 'VALUE')\"", false);
    for (LibraryTrack t : List.of(song("VALUE", "a"), song("OTHER", "a"))) {
      assertEquals(a.test(t), b.test(t));
    }
    assertFalse(a.test(song("VALUE", "a")));
  }

  @Test
  void andNeedsEveryExpression() throws Exception {
    Filter f = filterOf("find \"((artist == 'FOO') AND (album == 'BAR'))\"", false);
    assertTrue(f.test(song("FOO", "BAR")));
    assertFalse(f.test(song("FOO", "BAZ")));
  }

  @Test
  void findIsCaseSensitiveAndSearchIsNot() throws Exception {
    assertFalse(filterOf("find \"(artist == 'foo')\"", false).test(song("FOO", "x")));
    assertTrue(filterOf("search \"(artist == 'foo')\"", true).test(song("FOO", "x")));
    assertFalse(filterOf("search \"(artist eq_cs 'foo')\"", true).test(song("FOO", "x")));
  }

  @Test
  void emptyValueMeansTheTagIsAbsent() throws Exception {
    assertTrue(filterOf("find \"(genre == '')\"", false).test(song("a", "b")));
    assertFalse(filterOf("find \"(genre != '')\"", false).test(song("a", "b")));
  }

  @Test
  void oldTypeValuePairs() throws Exception {
    Filter f = Filter.parse(List.of("artist", "FOO", "album", "BAR"), false);
    assertTrue(f.test(song("FOO", "BAR")));
    assertFalse(f.test(song("FOO", "X")));
  }

  @Test
  void malformedFiltersAreArgumentErrors() {
    for (String bad :
        List.of(
            "(artist == 'x'",
            "(artist == x)",
            "(nosuchtag == 'x')",
            "((a == 'b') OR (c == 'd'))")) {
      AckException e = assertThrows(AckException.class, () -> Filter.parse(List.of(bad), false));
      assertEquals(AckException.ARG, e.code());
    }
    String deep = "(".repeat(100) + "artist == 'x'" + ")".repeat(100);
    assertThrows(AckException.class, () -> Filter.parse(List.of(deep), false));
  }
}
