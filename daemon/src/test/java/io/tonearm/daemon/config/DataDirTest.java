package io.tonearm.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirTest {

  @Test
  void linuxUsesXdgDataHomeElseLocalShare() {
    assertEquals(
        Path.of("/home/u/.local/share/tonearm"),
        DataDir.platformDefault("Linux", Map.of(), "/home/u"));
    assertEquals(
        Path.of("/data/xdg/tonearm"),
        DataDir.platformDefault("Linux", Map.of("XDG_DATA_HOME", "/data/xdg"), "/home/u"));
  }

  @Test
  void emptyOrRelativeXdgDataHomeIsIgnored() {
    Path fallback = Path.of("/home/u/.local/share/tonearm");
    assertEquals(
        fallback, DataDir.platformDefault("Linux", Map.of("XDG_DATA_HOME", ""), "/home/u"));
    assertEquals(
        fallback, DataDir.platformDefault("FreeBSD", Map.of("XDG_DATA_HOME", "rel"), "/home/u"));
  }

  @Test
  void macOsUsesApplicationSupport() {
    assertEquals(
        Path.of("/Users/u/Library/Application Support/Tonearm"),
        DataDir.platformDefault("Mac OS X", Map.of("XDG_DATA_HOME", "/x"), "/Users/u"));
  }

  @Test
  void windowsUsesLocalAppData() {
    assertEquals(
        Path.of("C:\\Users\\u\\AppData\\Local").resolve("Tonearm"),
        DataDir.platformDefault(
            "Windows 11", Map.of("LOCALAPPDATA", "C:\\Users\\u\\AppData\\Local"), "C:\\Users\\u"));
    assertEquals(
        Path.of("/home/u").resolve("AppData").resolve("Local").resolve("Tonearm"),
        DataDir.platformDefault("Windows 10", Map.of(), "/home/u"));
  }
}
