package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static Args of(String... words) {
    return new Args(words, 1);
  }

  @Test
  void valuesFlagsAndEqualsForms() {
    Args a = of("fanout", "--clients", "1000", "--fps=60", "--against-mpd", "--runs", "2");
    assertEquals(1000, a.integer("clients", 1));
    assertEquals(60, a.integer("fps", 1));
    assertEquals(2, a.integer("runs", 3));
    assertEquals(7, a.integer("seconds", 7));
    assertTrue(a.flag("against-mpd"));
    assertFalse(a.flag("json"));
    assertEquals("fanout --clients 1000 --fps=60 --against-mpd --runs 2", a.commandLine());
  }

  @Test
  void positionalWordsComeBeforeTheFlags() {
    Args a = of("scan", "/music", "5", "--against-mpd");
    assertEquals(List.of("/music", "5"), a.positional());
    assertTrue(a.flag("against-mpd"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> of("scan", "--runs", "1", "x"));
    assertEquals("expected --flag, got x", e.getMessage());
  }

  @Test
  void aMalformedNumberNamesTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> of("x", "--runs", "three").integer("runs", 3));
    assertEquals("--runs expects an integer, got 'three'", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> of("x", "--against-mpd=yes").flag("against-mpd"));
  }

  @Test
  void reportDirectoryWithItsAliasAndDefault() {
    assertEquals(Args.DEFAULT_REPORT_DIR, of("idle").reportDir());
    assertEquals(Path.of("/tmp/r"), of("idle", "--report", "/tmp/r").reportDir());
    assertEquals(Path.of("/tmp/s"), of("idle", "--report-dir", "/tmp/s").reportDir());
    assertThrows(IllegalArgumentException.class, () -> of("idle", "--report").reportDir());
  }

  @Test
  void urlOfARunningDaemon() {
    assertNull(of("fanout").url());
    assertEquals(
        URI.create("http://127.0.0.1:7700"),
        of("fanout", "--url", "http://127.0.0.1:7700/", "--token", "tnrm_x").url());
    assertEquals(URI.create("https://host:8443"), of("fanout", "--url", "https://host:8443").url());
  }

  @Test
  void badUrlsAreRefusedWithTheReason() {
    assertEquals(
        "--url must be http://host:port or https://host:port",
        assertThrows(IllegalArgumentException.class, () -> of("x", "--url", "ws://h:1").url())
            .getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> of("x", "--url", "http://h").url())
            .getMessage()
            .startsWith("--url needs a host and a port"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> of("x", "--url", "http://h:1/api").url())
            .getMessage()
            .startsWith("--url takes no path"));
    assertEquals(
        "--token and --pid go with --url",
        assertThrows(IllegalArgumentException.class, () -> of("x", "--token", "t").url())
            .getMessage());
  }
}
