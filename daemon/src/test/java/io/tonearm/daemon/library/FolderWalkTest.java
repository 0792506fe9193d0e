package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.LinkTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWalkTest {
  @TempDir Path tmp;

  @Test
  void aDiamondOfLinksIsWalkedOncePerRealDirectory() throws Exception {
    Path root = LinkTrees.diamond(tmp.resolve("music"), 40);
    FolderWalk w = FolderWalk.walk(root, () -> false);
    assertEquals(42, w.dirs.size(), "the root and d0..d40, each once");
    assertEquals(41, w.files.size());
    assertEquals(41, w.files.stream().map(FolderWalk.Candidate::real).distinct().count());
    assertTrue(w.complete);
    assertEquals(List.of(), w.problems);
  }

  @Test
  void theWalkStopsAtItsBoundAndSaysSo() throws Exception {
    Path root = LinkTrees.diamond(tmp.resolve("music"), 10);
    FolderWalk dirs = FolderWalk.walk(root, root, () -> false, 5, 1_000);
    assertFalse(dirs.complete);
    assertEquals(5, dirs.dirs.size());
    assertTrue(
        dirs.problems.stream().anyMatch(p -> p.error().contains("more than 5 directories")),
        dirs.problems.toString());
    FolderWalk entries = FolderWalk.walk(root, root, () -> false, 1_000, 7);
    assertFalse(entries.complete);
    assertEquals(7, entries.entries - 1, "stopped at the entry past the bound");
    assertTrue(
        entries.problems.stream()
            .anyMatch(p -> p.error().contains("more than 7 directory entries")));
    FolderWalk cancelled = FolderWalk.walk(root, () -> true);
    assertFalse(cancelled.complete);
    assertEquals(List.of(), cancelled.files);
  }

  @Test
  void loopsDanglingLinksAndDirectoriesNamedLikeAudioAreReported() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("music")).toRealPath();
    Path album = Files.createDirectories(root.resolve("album"));
    Files.write(album.resolve("ok.wav"), new byte[] {1});
    Files.createSymbolicLink(album.resolve("up"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("self.flac"), Path.of("self.flac"));
    Files.createSymbolicLink(root.resolve("gone.mp3"), Path.of("nowhere.mp3"));
    Files.createDirectories(root.resolve("not-a-song.flac"));
    Files.createSymbolicLink(root.resolve("out"), tmp);
    FolderWalk w = FolderWalk.walk(root, () -> false);
    Map<String, String> problems =
        w.problems.stream()
            .collect(Collectors.toMap(FolderWalk.Problem::relPath, FolderWalk.Problem::error));
    assertEquals(
        Map.of(
            "album/up", "symbolic link loop; skipped",
            "self.flac", "symbolic link loop; skipped",
            "gone.mp3", "dangling symbolic link; skipped",
            "not-a-song.flac", "a directory named like an audio file; not played",
            "out", "link leads outside the music folder; skipped"),
        problems);
    assertEquals(List.of("album/ok.wav"), w.files.stream().map(f -> f.relPath()).toList());
    assertTrue(w.complete);
  }
}
