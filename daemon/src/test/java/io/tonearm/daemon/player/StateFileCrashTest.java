package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a JVM with SIGKILL while it saves in a loop; the file left behind must load whole. */
class StateFileCrashTest {

  @TempDir Path dir;

  /** The child process: saves ever-growing states until killed. */
  public static void main(String[] args) throws Exception {
    StateFile f = new StateFile(Path.of(args[0]));
    for (long n = 1; ; n++) {
      f.save(state(n));
      if (n == 3) {
        Files.writeString(Path.of(args[0]).resolve("ready"), "ok");
      }
    }
  }

  static StateFile.Saved state(long n) {
    return state(n, "/m/" + n + ".wav");
  }

  /** {@link #state(long)} with its one queue item at {@code path}. */
  static StateFile.Saved state(long n, String path) {
    return new StateFile.Saved(
        n,
        List.of(new StateFile.SavedItem(n, path)),
        List.of(),
        false,
        n,
        n,
        50,
        false,
        0,
        false,
        false,
        0,
        0,
        true,
        List.of());
  }

  @Test
  void aStateSavedByAProcessKilledMidWriteLoadsWhole() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int round = 0; round < 3; round++) {
      Files.deleteIfExists(dir.resolve("ready"));
      Process p =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  StateFileCrashTest.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      long deadline = System.currentTimeMillis() + 30_000;
      while (Files.notExists(dir.resolve("ready")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(20L * round);
      p.destroyForcibly().waitFor(); // SIGKILL on Linux: no shutdown hooks, no flush
      Optional<StateFile.Saved> s = new StateFile(dir).load();
      assertTrue(s.isPresent(), "state lost after kill -9");
      long n = s.get().idCeiling();
      assertEquals(state(n), s.get());
    }
  }
}
