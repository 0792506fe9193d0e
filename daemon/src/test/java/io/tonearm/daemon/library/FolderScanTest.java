package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.FileError;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.LibraryTrack;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken input: each is recorded or rejected, and the scan completes. */
class FolderScanTest {
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
    library.folders().add(music.toString());
  }

  @AfterEach
  void close() throws Exception {
    FolderScan.afterWalk = null;
    library.close();
    jobs.close();
  }

  Job scan(boolean full) throws Exception {
    String id = library.scan(full, List.of(), "test").jobId();
    LibraryTest.awaitJob(jobs, id);
    return jobs.find(id).orElseThrow();
  }

  Map<String, LibraryTrack> tracks() throws Exception {
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
        .getTracksList()
        .stream()
        .collect(Collectors.toMap(LibraryTrack::getPath, Function.identity()));
  }

  Map<String, String> errors() throws Exception {
    return library
        .read(c -> LibraryQueries.errors(c, Cursor.START, 500))
        .toCompletableFuture()
        .get()
        .getErrorsList()
        .stream()
        .collect(Collectors.toMap(FileError::getPath, FileError::getError));
  }

  @Test
  void brokenFilesAreRecordedAndTheScanCompletes() throws Exception {
    byte[] mp3 = TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.mp3");
    byte[] flac = TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.flac");
    Files.write(music.resolve("zero.mp3"), new byte[0]);
    Files.write(music.resolve("zero.flac"), new byte[0]);
    Files.write(music.resolve("garbage.flac"), "this is not audio at all".repeat(100).getBytes());
    byte[] noise = new byte[20_000];
    new Random(7).nextBytes(noise);
    Files.write(music.resolve("garbage.ogg"), noise);
    Files.write(music.resolve("garbage.opus"), noise);
    Files.write(music.resolve("truncated.flac"), Arrays.copyOf(flac, 60));
    Files.write(music.resolve("truncated_audio.flac"), Arrays.copyOf(flac, flac.length / 2));
    Files.write(music.resolve("truncated.mp3"), Arrays.copyOf(mp3, mp3.length / 3));
    Path lying = TaggedFiles.copy("1s_440Hz_44k1_mono.mp3", music.resolve("lying_id3.mp3"));
    TaggedFiles.tag(lying, TaggedFiles.Tags.of("Liar", "A", "B"), false);
    byte[] l = Files.readAllBytes(lying);
    l[6] = 0x7f; // synchsafe tag size: claims ~256 MiB in a file of a few KiB
    l[7] = 0x7f;
    l[8] = 0x7f;
    l[9] = 0x7f;
    Files.write(lying, l);
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("good.ogg"));

    Job job = scan(false);
    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    Map<String, LibraryTrack> t = tracks();
    Map<String, String> e = errors();
    assertTrue(t.containsKey("good.ogg"));
    for (String bad :
        List.of(
            "zero.mp3",
            "zero.flac",
            "garbage.flac",
            "garbage.ogg",
            "garbage.opus",
            "truncated.flac")) {
      assertTrue(e.containsKey(bad), bad + " recorded as an error: " + e);
      assertFalse(t.containsKey(bad), bad + " is not a track");
      assertFalse(e.get(bad).isBlank());
    }
    // A file whose header survives but whose audio is cut short is still a track.
    assertTrue(t.containsKey("truncated_audio.flac"), "truncated FLAC audio keeps STREAMINFO");
    assertEquals(1000, t.get("truncated_audio.flac").getDurationMs(), 1);
    // A truncated MP3 keeps the frames it has; its duration is what is left (a third of 1 s).
    assertTrue(Math.abs(t.get("truncated.mp3").getDurationMs() - 333) < 60);
    // An ID3 length that points past the end hides the audio: recorded, not fatal.
    assertTrue(e.get("lying_id3.mp3").contains("No audio header"), e.get("lying_id3.mp3"));
    assertEquals(10, t.size() + e.size(), "every file is accounted for");
    assertEquals(e.size(), job.getErrorCount());
    assertEquals(
        e.size(), lane.matching(x -> x.getLibrary().hasScanError()).size(), "one event per error");

    // Errors are remembered: an unchanged broken file is not read again.
    int before = lane.events().size();
    scan(false);
    assertTrue(
        lane.events().subList(before, lane.events().size()).stream()
            .noneMatch(x -> x.getLibrary().hasScanError()));
  }

  @Test
  void moreFilesThanTheReadAheadAllLandOnce() throws Exception {
    // Reads run at most READ_AHEAD files ahead of the commits: a folder of several windows (and a
    // last, partial batch) still lands every file exactly once, broken files as errors.
    byte[] flac = TaggedFiles.fixtureBytes("1s_440Hz_44k1_mono.flac");
    int good = 2 * FolderScan.READ_AHEAD + FolderScan.BATCH / 2 + 7;
    int broken = 13;
    for (int d = 0; d < 9; d++) {
      Files.createDirectories(music.resolve(String.format("d%02d", d)));
    }
    for (int i = 0; i < good; i++) {
      Files.write(music.resolve(String.format("d%02d/t%04d.flac", i % 9, i)), flac);
    }
    for (int i = 0; i < broken; i++) {
      Files.write(music.resolve(String.format("d%02d/bad%02d.flac", i % 9, i)), new byte[0]);
    }

    Job job = scan(false);

    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    long[] counts =
        library
            .read(
                c -> {
                  try (var st = c.createStatement();
                      var rs =
                          st.executeQuery(
                              "SELECT (SELECT count(*) FROM tracks),"
                                  + " (SELECT count(DISTINCT path) FROM tracks),"
                                  + " (SELECT count(*) FROM file_errors)")) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                  }
                })
            .toCompletableFuture()
            .get();
    assertEquals(good, counts[0], "every readable file is a track");
    assertEquals(good, counts[1], "each once");
    assertEquals(broken, counts[2], "every broken file is an error");
    assertEquals(broken, job.getErrorCount());
    assertEquals(
        good,
        lane.matching(x -> x.getLibrary().hasTracksAdded()).stream()
            .mapToInt(x -> x.getLibrary().getTracksAdded().getTracksCount())
            .sum(),
        "each track announced once");
  }

  @Test
  void nonUtf8AndVeryLongTagsAreCleanedAndBounded() throws Exception {
    byte[] opus = TaggedFiles.fixtureBytes("1s_440Hz_48k_mono_tagged.opus");
    byte[] omega = "Ω".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(opus, omega);
    opus[at] = (byte) 0xff; // invalid UTF-8 where the title's first letter was
    opus[at + 1] = (byte) 0xfe;
    Files.write(music.resolve("bad_utf8.opus"), opus);
    Path flac = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve("long.flac"));
    TaggedFiles.tag(flac, TaggedFiles.Tags.of("x".repeat(100_000), "a\u0000b", "Album"), false);

    scan(false);
    Map<String, LibraryTrack> t = tracks();
    assertEquals("\uFFFD\uFFFDmega Song", t.get("bad_utf8.opus").getTitle());
    assertEquals(TagFields.MAX_TEXT, t.get("long.flac").getTitle().length());
    assertEquals("ab", t.get("long.flac").getArtist(), "control characters dropped");
  }

  @Test
  void hugeEmbeddedPictureIsDownscaled() throws Exception {
    BufferedImage img = new BufferedImage(3000, 3000, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < 3000; y++) {
      for (int x = 0; x < 3000; x++) {
        img.setRGB(x, y, r.nextInt());
      }
    }
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", jpeg);
    assertTrue(jpeg.size() > ArtworkCache.MAX_STORED_BYTES, "fixture is huge: " + jpeg.size());
    Path flac = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve("art.flac"));
    TaggedFiles.tag(flac, TaggedFiles.Tags.of("Art", "A", "B").picture(jpeg.toByteArray()), false);

    scan(false);
    LibraryTrack t = tracks().get("art.flac");
    byte[] cached = library.artwork().get(t.getArtworkId()).orElseThrow();
    assertTrue(cached.length <= ArtworkCache.MAX_STORED_BYTES);
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(cached));
    assertTrue(
        small.getWidth() <= ArtworkCache.MAX_EDGE && small.getWidth() >= 600,
        "" + small.getWidth());
  }

  @Test
  void symlinkLoopsAndLinksOutsideAreSkipped() throws Exception {
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("a/in.ogg"));
    Files.createSymbolicLink(music.resolve("a/loop"), music.resolve("a"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", outside.resolve("secret.ogg"));
    Files.createSymbolicLink(music.resolve("out"), outside);
    Files.createSymbolicLink(music.resolve("secret.ogg"), outside.resolve("secret.ogg"));

    Job job = scan(false);
    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    assertEquals(List.of("a/in.ogg"), List.copyOf(tracks().keySet()));
    List<String> errs = job.getRecentErrorsList();
    assertTrue(
        errs.stream().anyMatch(s -> s.contains("outside the music folder")), errs.toString());
  }

  @Test
  void unreadableDirectoryIsReportedAndTheRestScanned() throws Exception {
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("ok/a.ogg"));
    Path locked = Files.createDirectories(music.resolve("locked"));
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", locked.resolve("b.ogg"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(
          Files.isReadable(locked) && Files.list(locked).findAny().isPresent(),
          "running as root: permissions do not lock a directory");
      Job job = scan(false);
      assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
      assertEquals(List.of("ok/a.ogg"), List.copyOf(tracks().keySet()));
      assertTrue(job.getRecentErrorsList().stream().anyMatch(s -> s.contains("locked")));
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void subfolderRemovedMidScanDropsItsTracksAndTheScanCompletes() throws Exception {
    for (String d : List.of("keep", "gone")) {
      for (int i = 0; i < 3; i++) {
        TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve(d + "/" + i + ".ogg"));
      }
    }
    scan(false);
    assertEquals(6, tracks().size());
    FolderScan.afterWalk =
        root -> {
          try (var files = Files.list(root.resolve("gone"))) {
            for (Path p : files.toList()) {
              Files.delete(p);
            }
            Files.delete(root.resolve("gone"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    Job job = scan(true);
    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    assertEquals(
        List.of("keep/0.ogg", "keep/1.ogg", "keep/2.ogg"),
        tracks().keySet().stream().sorted().toList());
  }

  @Test
  void wholeFolderMissingKeepsItsTracks() throws Exception {
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("x.ogg"));
    scan(false);
    Files.delete(music.resolve("x.ogg"));
    Files.delete(music);
    Job job = scan(false);
    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    assertEquals(1, tracks().size(), "an unmounted folder does not empty the library");
    assertFalse(library.folders().list().get(0).getAvailable());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
