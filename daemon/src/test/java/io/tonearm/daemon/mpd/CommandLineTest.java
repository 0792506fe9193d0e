package io.tonearm.daemon.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void splitsQuotedAndUnquotedArguments() throws Exception {
    CommandLine c = CommandLine.parse("add \"a b/c \\\"d\\\".flac\" 3\t");
    assertEquals("add", c.name());
    assertEquals(List.of("a b/c \"d\".flac", "3"), c.args());
  }

  @Test
  void aBadCommandWordKicksTheClient() {
    CommandLine.SyntaxException e =
        assertThrows(CommandLine.SyntaxException.class, () -> CommandLine.parse("1play"));
    assertEquals("Letter expected", e.getMessage());
    assertTrue(e.badWord());
    assertTrue(
        assertThrows(CommandLine.SyntaxException.class, () -> CommandLine.parse("   ")).badWord());
  }

  @Test
  void badArgumentsDoNot() {
    CommandLine.SyntaxException e =
        assertThrows(CommandLine.SyntaxException.class, () -> CommandLine.parse("find \"x"));
    assertEquals("Missing closing '\"'", e.getMessage());
    assertFalse(e.badWord());
    assertEquals(
        "Invalid unquoted character",
        assertThrows(CommandLine.SyntaxException.class, () -> CommandLine.parse("find it's"))
            .getMessage());
    assertEquals(
        "Space expected after closing '\"'",
        assertThrows(CommandLine.SyntaxException.class, () -> CommandLine.parse("find \"a\"b"))
            .getMessage());
    assertEquals(
        "Too many arguments",
        assertThrows(
                CommandLine.SyntaxException.class,
                () -> CommandLine.parse("ping" + " x".repeat(CommandLine.MAX_ARGS + 1)))
            .getMessage());
  }
}
