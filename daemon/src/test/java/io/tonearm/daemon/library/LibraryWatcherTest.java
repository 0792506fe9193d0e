package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.testing.LinkTrees;
import io.tonearm.proto.v1.LibraryTrack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryWatcherTest {
  @TempDir Path tmp;
  Path music;
  Jobs jobs;
  Library library;

  @BeforeEach
  void open() throws Exception {
    music = Files.createDirectories(tmp.resolve("music"));
    RecordingLane lane = new RecordingLane();
    jobs = new Jobs(lane, 2);
    jobs.start();
    library = new Library(tmp.resolve("data"), lane, jobs);
    library.start();
  }

  @AfterEach
  void close() throws Exception {
    library.close();
    jobs.close();
  }

  List<LibraryTrack> tracks() throws Exception {
    return library
        .read(
            c ->
                LibraryQueries.tracks(
                    c,
                    new LibraryQueries.TrackFilter(null, null, null, null, null),
                    Cursor.START,
                    500))
        .toCompletableFuture()
        .get()
        .getTracksList();
  }

  /** Polls until {@code probe} gives a value, for up to 60 s. */
  <T> T eventually(Function<List<LibraryTrack>, Optional<T>> probe) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<T> v = probe.apply(tracks());
      if (v.isPresent()) {
        return v.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached; tracks: " + tracks());
  }

  @Test
  void addedChangedAndRemovedFilesAreRescanned() throws Exception {
    library.folders().add(music.toString());
    Path sub = Files.createDirectories(music.resolve("new/dir"));
    Path f = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", tmp.resolve("staging/a.flac"));
    TaggedFiles.tag(f, TaggedFiles.Tags.of("First", "A", "B"), false);
    Files.move(f, sub.resolve("a.flac"));

    eventually(t -> t.stream().filter(x -> x.getTitle().equals("First")).findFirst());

    TaggedFiles.tag(sub.resolve("a.flac"), TaggedFiles.Tags.of("Second", "A", "B"), false);
    Files.setLastModifiedTime(sub.resolve("a.flac"), FileTime.fromMillis(1_500_000_000_000L));
    eventually(t -> t.stream().filter(x -> x.getTitle().equals("Second")).findFirst());

    Files.delete(sub.resolve("a.flac"));
    int left = eventually(t -> t.isEmpty() ? Optional.of(0) : Optional.empty());
    assertEquals(0, left);
  }

  @Test
  void aDiamondOfLinksIsWatchedOncePerDirectoryWithoutHoldingUpTheLibrary() throws Exception {
    Path root = LinkTrees.diamond(tmp.resolve("diamond"), 40); // 2^40 paths to d40
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          library.folders().add(root.toString());
          assertEquals(1, library.summary().getFoldersCount());
          while (library.watcher().watchedDirectories() < 42) {
            Thread.sleep(10);
          }
        });
    Thread.sleep(200);
    assertEquals(42, library.watcher().watchedDirectories(), "the root and d0..d40, each once");
  }
}
