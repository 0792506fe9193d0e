package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoundedRegexTest {

  @Test
  void foundAnywhereAndCaseFoldedOnlyForSearch() {
    assertTrue(new BoundedRegex("ir", false).find("First"));
    assertTrue(new BoundedRegex("^Fir", false).find("First"));
    assertFalse(new BoundedRegex("^fir", false).find("First"));
    assertTrue(new BoundedRegex("^fir", true).find("First"));
    assertTrue(new BoundedRegex("^FIRST$", true).find("first"));
  }

  @Test
  void catastrophicBacktrackingStopsAtTheStepBound() {
    // A back-reference turns off the JDK's guard against nested quantifiers: 2^40 ways to split
    // the a's, unbounded this runs for days.
    BoundedRegex r = new BoundedRegex("(a+)+\\1b", false);
    AckException e = assertThrows(AckException.class, () -> r.find("a".repeat(40)));
    assertEquals(AckException.ARG, e.code());
    assertTrue(e.getMessage().contains("too costly"), e.getMessage());
    // The same pattern on a value that matches at once is fine.
    assertTrue(new BoundedRegex("(a+)+\\1b", false).find("aab"));
    // Without the back-reference the JDK itself keeps it polynomial: answered, under the bound.
    assertFalse(new BoundedRegex("(a+)+b", false).find("a".repeat(40)));
  }

  @Test
  void longOrInvalidPatternsAreRefused() {
    assertTrue(
        assertThrows(AckException.class, () -> new BoundedRegex("a".repeat(1025), false))
            .getMessage()
            .contains("longer than 1024"));
    new BoundedRegex("a".repeat(1024), false);
    assertTrue(
        assertThrows(AckException.class, () -> new BoundedRegex("(", false))
            .getMessage()
            .startsWith("Invalid regular expression"));
  }
}
