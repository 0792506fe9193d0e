package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.TrackList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryQueriesTest {
  @TempDir Path tmp;
  Jobs jobs;
  Library library;
  RecordingLane lane = new RecordingLane();

  @BeforeEach
  void open() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    String[][] tags = {
      {"Love Will Tear Us Apart", "Joy Division", "Closer"},
      {"Love", "John Lennon", "Plastic Ono Band"},
      {"Crazy Little Thing", "Queen", "Love Songs"},
      {"Lovely Day", "Bill Withers", "Menagerie"},
      {"Song", "Lovers Club", "Other"},
      {"Halo", "Beyoncé", "I Am"},
    };
    for (int i = 0; i < tags.length; i++) {
      Path p = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve(i + ".flac"));
      TaggedFiles.tag(p, TaggedFiles.Tags.of(tags[i][0], tags[i][1], tags[i][2]), false);
    }
    jobs = new Jobs(lane, 1);
    jobs.start();
    library = new Library(tmp.resolve("data"), lane, jobs);
    library.folders().add(music.toString());
    LibraryTest.awaitJob(jobs, library.scan(false, List.of(), "t").jobId());
  }

  @AfterEach
  void close() throws Exception {
    library.close();
    jobs.close();
  }

  List<String> search(String q) throws Exception {
    return library.search(q, 50).toCompletableFuture().get().getTracksList().stream()
        .map(LibraryTrack::getTitle)
        .toList();
  }

  @Test
  void exactTitleFirstThenTitleThenArtistThenAlbum() throws Exception {
    List<String> r = search("love");
    assertEquals("Love", r.get(0), r.toString());
    assertEquals(
        List.of("Love Will Tear Us Apart", "Lovely Day"),
        r.subList(1, 3).stream().sorted().toList());
    assertEquals("Song", r.get(3), "artist match after title matches");
    assertEquals("Crazy Little Thing", r.get(4), "album match last");
    assertEquals(5, r.size());
  }

  @Test
  void searchIgnoresCaseAndDiacriticsAndNeedsEveryWord() throws Exception {
    assertEquals(List.of("Halo"), search("BEYONCE"));
    assertEquals(List.of("Love Will Tear Us Apart"), search("love joy"));
    assertEquals(List.of(), search("love nothing"));
  }

  @Test
  void keysetPagesCoverEveryTrackOnceEvenWhenRowsChangeBetweenPages() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = "";
    boolean first = true;
    do {
      Cursor cur = Cursor.decode(cursor);
      TrackList page =
          library
              .read(
                  c ->
                      LibraryQueries.tracks(
                          c, new LibraryQueries.TrackFilter(null, null, null, null, null), cur, 2))
              .toCompletableFuture()
              .get();
      page.getTracksList().forEach(t -> seen.add(t.getId()));
      cursor = page.getPage().getNextCursor();
      if (first) {
        // A row before the cursor disappears: later pages must not shift.
        library.removePaths(
            List.of(tmp.resolve("music").toRealPath().resolve("0.flac").toString()));
        first = false;
      }
    } while (!cursor.isEmpty());
    assertEquals(seen.size(), seen.stream().distinct().count(), "no track twice");
    assertTrue(seen.size() >= 5, "every remaining track seen: " + seen.size());
  }
}
