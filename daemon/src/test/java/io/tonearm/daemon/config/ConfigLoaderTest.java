package io.tonearm.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsWhenNothingIsGiven() throws Exception {
    Config c = ConfigLoader.load(new String[0], Map.of());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(7700, c.port());
    assertEquals(DataDir.platformDefault(Map.of()), c.dataDir());
    assertTrue(c.dataDir().isAbsolute(), "never relative to the working directory");
    assertTrue(c.music().isEmpty());
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = dir.resolve("t.properties");
    Files.writeString(file, "port=7000\nbind=0.0.0.0\nmusic=/a,/b\n");
    Config c =
        ConfigLoader.load(
            new String[] {"--config", file.toString(), "--port=7002", "--music", "/c"},
            Map.of("TONEARM_PORT", "7001", "TONEARM_DATA_DIR", "/tmp/x"));
    assertEquals(7002, c.port());
    assertEquals("0.0.0.0", c.bind());
    assertEquals(Path.of("/tmp/x"), c.dataDir());
    assertEquals(List.of(Path.of("/c")), c.music());
  }

  @Test
  void outputRateComesFromFlagEnvironmentOrFileAndDefaultsToFollowingTheSource() throws Exception {
    assertEquals(0, ConfigLoader.load(new String[0], Map.of()).outputRate());
    assertEquals(44_100, ConfigLoader.load(new String[0], Map.of()).streamRate());
    Config flag = ConfigLoader.load(new String[] {"--output-rate", "48000"}, Map.of());
    assertEquals(48_000, flag.outputRate());
    assertEquals(48_000, flag.streamRate(), "the stream follows a fixed output rate");
    assertEquals(
        96_000,
        ConfigLoader.load(new String[0], Map.of("TONEARM_OUTPUT_RATE", "96000")).outputRate());
    Path file = dir.resolve("r.properties");
    Files.writeString(file, "output-rate=8000\n");
    assertEquals(
        8000, ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).outputRate());
    assertEquals(
        384_000, ConfigLoader.load(new String[] {"--output-rate=384000"}, Map.of()).outputRate());
    ConfigLoader.ConfigException e =
        assertThrows(
            ConfigLoader.ConfigException.class,
            () -> ConfigLoader.load(new String[] {"--output-rate", "1000"}, Map.of()));
    assertEquals(
        "--output-rate must be 0 (follow each item) or 8000 to 384000, got 1000", e.getMessage());
  }

  @Test
  void ioUringIsOffUnlessAskedFor() throws Exception {
    assertFalse(ConfigLoader.load(new String[0], Map.of()).ioUring());
    assertTrue(ConfigLoader.load(new String[] {"--io-uring", "on"}, Map.of()).ioUring());
    assertTrue(ConfigLoader.load(new String[0], Map.of("TONEARM_IO_URING", "on")).ioUring());
    assertFalse(ConfigLoader.load(new String[] {"--io-uring", "off"}, Map.of()).ioUring());
  }

  @Test
  void aRelayIsOnIoUringUnlessTurnedOff() throws Exception {
    assertTrue(ConfigLoader.load(new String[0], Map.of(), true).ioUring());
    assertFalse(ConfigLoader.load(new String[] {"--io-uring", "off"}, Map.of(), true).ioUring());
    assertFalse(
        ConfigLoader.load(new String[0], Map.of("TONEARM_IO_URING", "off"), true).ioUring());
    assertFalse(ConfigLoader.load(new String[0], Map.of(), false).ioUring());
  }

  @Test
  void musicIsRepeatable() throws Exception {
    Config c = ConfigLoader.load(new String[] {"--music", "/a", "--music", "/b"}, Map.of());
    assertEquals(List.of(Path.of("/a"), Path.of("/b")), c.music());
  }

  @Test
  void badValuesAreOneLineErrors() {
    String[][] bad = {
      {"--port", "abc"},
      {"--port", "70000"},
      {"--nope", "1"},
      {"--port"},
      {"stray"},
      {"--transport-fps", "500"},
      {"--output-rate", "7999"},
      {"--output-rate", "384001"},
      {"--output-rate", "-1"},
      {"--output-rate", "48k"},
      {"--io-uring", "yes"},
      {"--config", "/no/such/file"}
    };
    for (String[] args : bad) {
      ConfigLoader.ConfigException e =
          assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(args, Map.of()));
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
