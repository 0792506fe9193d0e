package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.LibraryChanged;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.TrackList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryTest {
  @TempDir Path tmp;
  Path music;
  RecordingLane lane;
  Jobs jobs;
  Library library;

  @BeforeEach
  void open() throws Exception {
    music = Files.createDirectories(tmp.resolve("music"));
    lane = new RecordingLane();
    jobs = new Jobs(lane, 2);
    jobs.start();
    library = new Library(tmp.resolve("data"), lane, jobs);
  }

  @AfterEach
  void close() throws Exception {
    library.close();
    jobs.close();
  }

  static void awaitJob(Jobs jobs, String id) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      JobState s = jobs.find(id).orElseThrow().getState();
      if (s != JobState.JOB_STATE_QUEUED && s != JobState.JOB_STATE_RUNNING) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  void scan(boolean full) throws Exception {
    awaitJob(jobs, library.scan(full, List.of(), "test").jobId());
  }

  Map<String, LibraryTrack> tracksByPath() throws Exception {
    TrackList list =
        library
            .read(
                c ->
                    LibraryQueries.tracks(
                        c,
                        new LibraryQueries.TrackFilter(null, null, null, null, null),
                        Cursor.START,
                        500))
            .toCompletableFuture()
            .get();
    return list.getTracksList().stream()
        .collect(Collectors.toMap(LibraryTrack::getPath, Function.identity()));
  }

  @Test
  void aDatabaseOfSchemaSixGetsBitDepthsAndDatesAtItsNextScan() throws Exception {
    Files.write(music.resolve("a.flac"), TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.flac"));
    Path mp3 = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("b.mp3"));
    TaggedFiles.tag(mp3, TaggedFiles.Tags.of("B", "Artist", "Album").year("1982-07-22"), false);
    library.folders().add(music.toString());
    scan(false);
    assertEquals(16, tracksByPath().get("a.flac").getBitsPerSample());
    assertEquals(0, tracksByPath().get("b.mp3").getBitsPerSample(), "lossy: no bit depth");
    assertEquals("1982-07-22", tracksByPath().get("b.mp3").getDate());
    assertEquals(1982, tracksByPath().get("b.mp3").getYear());
    // The database as version 6 left it: no bits or date columns.
    library.close();
    Path db = tmp.resolve("data").resolve("library.db");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var st = c.createStatement()) {
      st.execute("ALTER TABLE tracks DROP COLUMN bits");
      st.execute("ALTER TABLE tracks DROP COLUMN date");
      st.execute("DROP TABLE stickers"); // schema 8
      // Schema 9 dropped the full-text triggers of inserts and updates.
      st.execute(
          "CREATE TRIGGER tracks_ai AFTER INSERT ON tracks BEGIN INSERT INTO tracks_fts(rowid,"
              + " title, artist, album, genre) VALUES (new.num, new.title, new.artist, new.album,"
              + " new.genre); END");
      st.execute(
          "CREATE TRIGGER tracks_au AFTER UPDATE ON tracks BEGIN INSERT INTO tracks_fts(tracks_fts,"
              + " rowid, title, artist, album, genre) VALUES ('delete', old.num, old.title,"
              + " old.artist, old.album, old.genre); INSERT INTO tracks_fts(rowid, title, artist,"
              + " album, genre) VALUES (new.num, new.title, new.artist, new.album, new.genre); END");
      st.execute("PRAGMA user_version = 6");
    }
    library = new Library(tmp.resolve("data"), lane, jobs);
    assertEquals(0, tracksByPath().get("a.flac").getBitsPerSample(), "not read yet");
    scan(false); // not a full scan: the migration marked every file to be read again
    assertEquals(16, tracksByPath().get("a.flac").getBitsPerSample());
    assertEquals("1982-07-22", tracksByPath().get("b.mp3").getDate());
    assertTrue(tracksByPath().get("a.flac").getModifiedMs() > 0);
  }

  @Test
  void tracksByIdKeepsTheOrderAcrossQueriesAndLeavesOutUnknownIds() throws Exception {
    byte[] flac = TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.flac");
    int n = Library.TRACKS_PER_QUERY + 40;
    for (int i = 0; i < n; i++) {
      Files.write(music.resolve(String.format("t%04d.flac", i)), flac);
    }
    library.folders().add(music.toString());
    scan(false);
    List<String> ids =
        library
            .read(
                c -> {
                  List<String> out = new ArrayList<>();
                  try (var st = c.createStatement();
                      var rs = st.executeQuery("SELECT id FROM tracks ORDER BY path DESC")) {
                    while (rs.next()) {
                      out.add(rs.getString(1));
                    }
                  }
                  return out;
                })
            .toCompletableFuture()
            .get();
    assertEquals(n, ids.size());
    List<String> asked = new ArrayList<>(ids);
    asked.add(7, "no-such-id");
    asked.add(ids.get(3)); // asked twice: given twice
    List<String> expected = new ArrayList<>(ids);
    expected.add(ids.get(3));

    List<LibraryTrack> got =
        library.read(c -> Library.tracksById(c, asked)).toCompletableFuture().get();

    assertEquals(expected, got.stream().map(LibraryTrack::getId).toList());
    assertEquals(
        String.format("t%04d.flac", n - 1), got.get(0).getPath(), "the first id's track first");
    assertTrue(
        library.read(c -> Library.tracksById(c, List.of())).toCompletableFuture().get().isEmpty());
  }

  @Test
  void scanReadsTagsOfEveryFormat() throws Exception {
    byte[] jpeg = TaggedFiles.fixtureBytes("cover_16x16_blue.jpg");
    Path mp3v23 = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("A/v23.mp3"));
    TaggedFiles.tag(
        mp3v23,
        TaggedFiles.Tags.of("Café del Mar", "Björk", "Début").track("3").gain("-6.50 dB", "0.988"),
        true);
    Path mp3v24 = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("A/v24.mp3"));
    TaggedFiles.tag(
        mp3v24, TaggedFiles.Tags.of("東京の夜", "坂本龍一", "Début").track("4").picture(jpeg), false);
    Path flac = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve("B/song.flac"));
    TaggedFiles.tag(
        flac,
        TaggedFiles.Tags.of("Flac Song", "Flac Artist", "Flac Album")
            .genre("Jazz")
            .gain("+1.25 dB", "0.5"),
        false);
    Path ogg = TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("B/song.ogg"));
    TaggedFiles.tag(ogg, TaggedFiles.Tags.of("Ogg Song", "Ogg Artist", "Ogg Album"), false);
    TaggedFiles.copy("1s_440Hz_44k1_mono.m4a", music.resolve("C/untagged.m4a"));
    TaggedFiles.copy("0.5s_440Hz_8k_mono.wav", music.resolve("C/plain.wav"));
    TaggedFiles.copy("1s_440Hz_48k_mono_tagged.opus", music.resolve("C/tagged.opus"));
    TaggedFiles.copy("cover_32x32_red.png", music.resolve("C/cover.png"));

    library.folders().add(music.toString());
    scan(false);
    Map<String, LibraryTrack> t = tracksByPath();
    assertEquals(7, t.size(), t.keySet().toString());

    LibraryTrack v23 = t.get("A/v23.mp3");
    assertEquals("Café del Mar", v23.getTitle());
    assertEquals("Björk", v23.getArtist());
    assertEquals(3, v23.getTrackNumber());
    assertEquals("mp3", v23.getCodec());
    assertEquals(44100, v23.getSampleRate());
    assertEquals(1, v23.getChannels());
    assertTrue(Math.abs(v23.getDurationMs() - 1000) < 100, "duration " + v23.getDurationMs());
    assertEquals(-6.5, v23.getReplayGain().getTrackGainDb(), 1e-9);
    assertEquals(0.988, v23.getReplayGain().getTrackPeak(), 1e-9);
    assertFalse(v23.getReplayGain().getHasAlbumGain());

    LibraryTrack v24 = t.get("A/v24.mp3");
    assertEquals("東京の夜", v24.getTitle());
    assertNotEquals(v23.getAlbumId(), v24.getAlbumId(), "albums are grouped by album artist");
    assertFalse(v24.getArtworkId().isEmpty(), "embedded art extracted");

    LibraryTrack f = t.get("B/song.flac");
    assertEquals("Flac Song", f.getTitle());
    assertEquals("Jazz", f.getGenre());
    assertEquals("flac", f.getCodec());
    assertEquals(1.25, f.getReplayGain().getTrackGainDb(), 1e-9);

    assertEquals("Ogg Song", t.get("B/song.ogg").getTitle());
    assertEquals("vorbis", t.get("B/song.ogg").getCodec());

    LibraryTrack m4a = t.get("C/untagged.m4a");
    assertEquals("untagged", m4a.getTitle(), "missing title falls back to the file name");
    assertEquals("", m4a.getArtist());
    assertFalse(m4a.getArtworkId().isEmpty(), "folder cover.png used");

    LibraryTrack opus = t.get("C/tagged.opus");
    assertEquals("Ωmega Song", opus.getTitle());
    assertEquals("Søren Ørsted", opus.getArtist());
    assertEquals("opus", opus.getCodec());
    assertEquals(3, opus.getTrackNumber());
    // R128_TRACK_GAIN=-512 is -2 dB re -23 LUFS, i.e. +3 dB re -18 LUFS.
    assertEquals(3.0, opus.getReplayGain().getTrackGainDb(), 1e-9);
    assertEquals(6.0, opus.getReplayGain().getAlbumGainDb(), 1e-9);
    assertTrue(Math.abs(opus.getDurationMs() - 1000) < 50, "opus duration " + opus.getDurationMs());

    assertEquals("wav", t.get("C/plain.wav").getCodec());
    assertEquals(8000, t.get("C/plain.wav").getSampleRate());

    var catalog = library.catalog();
    var byId = catalog.byId(opus.getId()).orElseThrow();
    assertEquals(music.toRealPath().resolve("C/tagged.opus"), byId.file());
    assertEquals(3.0, byId.gain().trackGainDb(), 1e-9);
    assertEquals(byId, catalog.byFile(byId.file()).orElseThrow());
    assertTrue(Double.isNaN(catalog.byId(f.getId()).orElseThrow().gain().albumGainDb()));
    // The batch reads answer as the single ones do; unknown and malformed ids are left out.
    List<String> ids = t.values().stream().map(LibraryTrack::getId).toList();
    var many = new ArrayList<>(ids);
    many.add("0123456789abcdef0123456789abcdef");
    many.add("not an id");
    var batch = catalog.byIds(many);
    assertEquals(ids.size(), batch.size());
    for (String id : ids) {
      assertEquals(catalog.byId(id).orElseThrow(), batch.get(id));
    }
    var files = batch.values().stream().map(c -> c.file()).collect(Collectors.toList());
    files.add(music.toRealPath().resolve("not-there.flac"));
    var byFiles = catalog.byFiles(files);
    assertEquals(ids.size(), byFiles.size());
    for (var c : batch.values()) {
      assertEquals(c, byFiles.get(c.file()));
    }

    assertTrue(
        lane.matching(e -> e.getLibrary().hasArtworkExtracted()).size() >= 2, "artwork events");
    List<Envelope> added = lane.matching(e -> e.getLibrary().hasTracksAdded());
    assertEquals(
        7, added.stream().mapToInt(e -> e.getLibrary().getTracksAdded().getTracksCount()).sum());
    for (Envelope e : added) {
      for (LibraryTrack track : e.getLibrary().getTracksAdded().getTracksList()) {
        assertEquals(t.get(track.getPath()), track, "the event's track is the stored one");
      }
    }
  }

  @Test
  void incrementalRescanReadsOnlyChangedFilesAndDropsRemovedOnes() throws Exception {
    for (int i = 0; i < 5; i++) {
      Path p = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("f" + i + ".mp3"));
      TaggedFiles.tag(p, TaggedFiles.Tags.of("Song " + i, "Artist", "Album"), false);
    }
    library.folders().add(music.toString());
    scan(false);
    assertEquals(5, tracksByPath().size());
    String idOf0 = tracksByPath().get("f0.mp3").getId();

    TaggedFiles.tag(
        music.resolve("f1.mp3"), TaggedFiles.Tags.of("Changed", "Artist", "Album"), false);
    Files.setLastModifiedTime(music.resolve("f1.mp3"), FileTime.fromMillis(1_000_000_000_000L));
    Files.delete(music.resolve("f2.mp3"));
    int before = lane.events().size();
    scan(false);

    List<LibraryChanged> after =
        lane.events().subList(before, lane.events().size()).stream()
            .filter(Envelope::hasLibrary)
            .map(Envelope::getLibrary)
            .toList();
    List<LibraryTrack> updated =
        after.stream().flatMap(c -> c.getTracksUpdated().getTracksList().stream()).toList();
    assertEquals(List.of("Changed"), updated.stream().map(LibraryTrack::getTitle).toList());
    assertEquals(
        tracksByPath().get("f1.mp3"), updated.get(0), "the event's track is the stored one");
    assertTrue(after.stream().noneMatch(LibraryChanged::hasTracksAdded));
    List<String> removed =
        after.stream().flatMap(c -> c.getTracksRemoved().getTrackIdsList().stream()).toList();
    assertEquals(1, removed.size());
    LibraryChanged.ScanCompleted done =
        after.stream()
            .filter(LibraryChanged::hasScanCompleted)
            .findFirst()
            .orElseThrow()
            .getScanCompleted();
    assertEquals(1, done.getUpdated());
    assertEquals(1, done.getRemoved());
    assertEquals(0, done.getAdded());
    assertEquals(4, tracksByPath().size());
    assertEquals(idOf0, tracksByPath().get("f0.mp3").getId(), "ids are stable across scans");
  }

  @Test
  void aRetaggedAlbumLeavesNoEmptyAlbumBehind() throws Exception {
    for (int i = 0; i < 2; i++) {
      Path p = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("f" + i + ".mp3"));
      TaggedFiles.tag(p, TaggedFiles.Tags.of("Song " + i, "Artist", "Old"), false);
    }
    library.folders().add(music.toString());
    scan(false);
    assertEquals(List.of("Old"), albumTitles());
    for (int i = 0; i < 2; i++) {
      Path p = music.resolve("f" + i + ".mp3");
      TaggedFiles.tag(p, TaggedFiles.Tags.of("Song " + i, "Artist", "New"), false);
      Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L + i));
    }
    scan(false);
    assertEquals(List.of("New"), albumTitles(), "the old album went with its last track");
  }

  List<String> albumTitles() throws Exception {
    return library
        .read(c -> LibraryQueries.albums(c, null, Cursor.START, 500))
        .toCompletableFuture()
        .get()
        .getAlbumsList()
        .stream()
        .map(a -> a.getTitle())
        .toList();
  }

  @Test
  void removingAFolderRemovesItsTracksAndUnusedArtwork() throws Exception {
    Path f = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve("x.flac"));
    TaggedFiles.tag(
        f,
        TaggedFiles.Tags.of("X", "Y", "Z")
            .picture(TaggedFiles.fixtureBytes("cover_16x16_blue.jpg")),
        false);
    var folder = library.folders().add(music.toString()).folder();
    scan(false);
    LibraryTrack t = tracksByPath().get("x.flac");
    assertTrue(library.artwork().get(t.getArtworkId()).isPresent());

    long seq = library.folders().remove(folder.getId()).seq();
    LibraryChanged removed = lane.matching(e -> e.getSeq() == seq).get(0).getLibrary();
    assertEquals(List.of(t.getId()), removed.getFolderRemoved().getTrackIdsList());
    assertEquals(
        List.of(t.getArtworkId()),
        lane.matching(e -> e.getLibrary().hasArtworkRemoved()).stream()
            .map(e -> e.getLibrary().getArtworkRemoved().getArtworkId())
            .toList());
    assertTrue(library.artwork().get(t.getArtworkId()).isEmpty(), "cached file deleted");
    assertEquals(0, library.summary().getTrackCount());
    assertEquals(0, library.summary().getAlbumCount());
    assertTrue(library.catalog().byId(t.getId()).isEmpty());
  }
}
