package io.tonearm.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertEquals(Path.of("data"), c.dataDir());
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
      {"--config", "/no/such/file"}
    };
    for (String[] args : bad) {
      ConfigLoader.ConfigException e =
          assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(args, Map.of()));
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
