package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateJournalTest {
  @TempDir Path dir;

  private static StateFile.Saved state(int volume, String... paths) {
    List<StateFile.SavedItem> items =
        Arrays.stream(paths).map(p -> new StateFile.SavedItem(p.length(), p)).toList();
    return new StateFile.Saved(
        64, items, List.of(), false, -1, 0, volume, false, 0, false, false, 0, 0, true, List.of());
  }

  @Test
  void recordsReplayInOrderOverTheStateFileAndAModesRecordKeepsTheQueue() throws Exception {
    try (StateJournal j = new StateJournal(dir)) {
      j.append(state(10, "/m/a.wav", "/m/bb.wav"), true);
      j.append(state(55), false);
    }
    Optional<StateFile.Saved> s = StateJournal.replay(Optional.of(state(90, "/m/old.wav")), dir);
    assertEquals(state(55, "/m/a.wav", "/m/bb.wav"), s.orElseThrow());
  }

  @Test
  void aTornLastRecordIsIgnoredAndACompactedJournalIsEmpty() throws Exception {
    try (StateJournal j = new StateJournal(dir)) {
      j.append(state(10, "/m/a.wav"), true);
      j.append(state(20), false);
    }
    Path file = dir.resolve("player-state.journal");
    byte[] all = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(all, all.length - 3)); // the kill cut the last write
    assertEquals(state(10, "/m/a.wav"), StateJournal.replay(Optional.empty(), dir).orElseThrow());
    try (StateJournal j = new StateJournal(dir)) {
      long upTo = j.appended();
      j.append(state(30), false);
      j.compact(upTo);
      assertTrue(Files.size(file) > 0, "a record newer than the save stays");
      j.compact(j.appended());
      assertEquals(0, Files.size(file));
    }
    assertEquals(Optional.empty(), StateJournal.replay(Optional.empty(), dir));
  }
}
