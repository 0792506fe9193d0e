package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir Path dir;

  private static StateFile.Saved sample() {
    return new StateFile.Saved(
        2048,
        List.of(new StateFile.SavedItem(5, "/m/a.wav"), new StateFile.SavedItem(9, "/m/b.wav")),
        List.of(9L, 5L),
        true,
        9,
        1234,
        70,
        true,
        2,
        false,
        true,
        1,
        -3.5,
        false,
        List.of("javasound"));
  }

  @Test
  void savedStateLoadsBackEqual() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    assertEquals(sample(), new StateFile(dir).load().orElseThrow());
    assertTrue(Files.notExists(dir.resolve("player-state.bin.tmp")));
  }

  @Test
  void aTornOrDamagedFileIsIgnoredNotTrusted() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    Path p = dir.resolve("player-state.bin");
    byte[] b = Files.readAllBytes(p);
    b[20] ^= 1;
    Files.write(p, b);
    assertTrue(f.load().isEmpty());
    Files.write(p, new byte[] {1, 2, 3});
    assertTrue(f.load().isEmpty());
  }

  @Test
  void aLeftoverTempFileFromACrashDoesNotMatter() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    Files.write(dir.resolve("player-state.bin.tmp"), new byte[] {9, 9}); // killed mid-write
    assertEquals(sample(), f.load().orElseThrow());
    f.save(sample());
    assertEquals(sample(), f.load().orElseThrow());
  }
}
