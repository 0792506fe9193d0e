package io.tonearm.daemon.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"abc\"",
        "W/\"abc\"",
        "*",
        "\"x\", \"abc\"",
        "\"x\",W/\"abc\"",
        "  \"abc\"  ",
        "\"a,b\", \"abc\""
      })
  void aListNamingTheTagWeaklyOrAStarMatches(String ifNoneMatch) {
    assertTrue(EntityTags.noneMatchFails(ifNoneMatch, "\"abc\""), ifNoneMatch);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\"ab\"", "\"abcd\"", "abc", "\"x\", \"y\"", "\"a,\"abc\"", "\"abc"})
  void otherValuesDoNotMatch(String ifNoneMatch) {
    assertFalse(EntityTags.noneMatchFails(ifNoneMatch, "\"abc\""), ifNoneMatch);
  }

  @Test
  void noHeaderNeverMatches() {
    assertFalse(EntityTags.noneMatchFails(null, "\"abc\""));
  }
}
