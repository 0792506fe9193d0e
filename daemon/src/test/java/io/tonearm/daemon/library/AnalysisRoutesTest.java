package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.command.CommandRunner;
import io.tonearm.daemon.command.CommandTable;
import io.tonearm.daemon.command.HttpCommands;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.TrackCatalog.CatalogTrack;
import io.tonearm.proto.v1.AnalyzeReply;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.ScanReply;
import io.tonearm.proto.v1.TrackList;
import io.tonearm.proto.v1.TrackLoudness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loudness jobs, their results in the catalog, and waveform overviews, with known answers. */
class AnalysisRoutesTest {

  private static final int RATE = 44_100;

  @TempDir Path tmp;
  private Path music;
  private Jobs jobs;
  private Library library;
  private final Router router = new Router();

  @BeforeEach
  void open() throws Exception {
    music = Files.createDirectories(tmp.resolve("music"));
    RecordingLane lane = new RecordingLane();
    jobs = new Jobs(lane, 1);
    jobs.start();
    library = new Library(tmp.resolve("data"), lane, jobs);
    HttpCommands.mount(
        router,
        new CommandRunner(
            CommandTable.newBuilder()
                .library(new Browser(library))
                .trackAnalysis(new TrackAnalysis(library, jobs, tmp.resolve("data")))
                .build(),
            lane));
  }

  @AfterEach
  void close() throws Exception {
    library.close();
    jobs.close();
  }

  /** A stereo 1 kHz sine at {@code dbfs} on both channels, 16-bit: EBU Tech 3341 case 1 shape. */
  private static void sine(Path file, double dbfs, int seconds) throws Exception {
    int frames = RATE * seconds;
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 4);
    b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
    b.putShort((short) 2).putInt(RATE).putInt(RATE * 4).putShort((short) 4).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * 4);
    double amp = Math.pow(10, dbfs / 20);
    for (int i = 0; i < frames; i++) {
      short s = (short) Math.round(amp * Math.sin(2 * Math.PI * 1000 * i / RATE) * 32767);
      b.putShort(s).putShort(s);
    }
    Files.write(file, b.array());
  }

  private ApiResponse call(String method, String path, Map<String, List<String>> query, String body)
      throws Exception {
    var m = router.match(method, path).orElseThrow();
    try {
      return m.handler()
          .handle(
              new ApiRequest(
                  method,
                  path,
                  m.params(),
                  query,
                  body.getBytes(StandardCharsets.UTF_8),
                  false,
                  "t"))
          .toCompletableFuture()
          .get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof DomainException d
          ? ApiException.from(d)
          : (Exception) e.getCause();
    } catch (DomainException d) {
      throw ApiException.from(d);
    }
  }

  private String onlyTrackId() throws Exception {
    library.folders().add(music.toString());
    ScanReply s =
        (ScanReply)
            ((ApiResponse.Proto) call("POST", "/api/v1/library/scan", Map.of(), "")).message();
    LibraryTest.awaitJob(jobs, s.getJobId());
    TrackList t =
        (TrackList)
            ((ApiResponse.Proto) call("GET", "/api/v1/library/tracks", Map.of(), "")).message();
    assertEquals(1, t.getTracksCount());
    return t.getTracks(0).getId();
  }

  @Test
  void loudnessJobMeasuresAnEbuToneAndTheCatalogUsesItWithoutTags() throws Exception {
    sine(music.resolve("tone.wav"), -20, 6);
    String id = onlyTrackId();
    assertTrue(Double.isNaN(library.catalog().byId(id).orElseThrow().gain().trackGainDb()));
    ApiResponse r = call("POST", "/api/v1/library/analyze", Map.of(), "{\"all\": true}");
    assertEquals(202, r.status());
    LibraryTest.awaitJob(jobs, ((AnalyzeReply) ((ApiResponse.Proto) r).message()).getJobId());
    TrackLoudness l =
        (TrackLoudness)
            ((ApiResponse.Proto)
                    call("GET", "/api/v1/library/tracks/" + id + "/loudness", Map.of(), ""))
                .message();
    // EBU Tech 3341: a stereo 1 kHz sine at X dBFS on both channels reads X LUFS.
    assertEquals(-20.0, l.getIntegratedLufs(), 0.1);
    assertEquals(2.0, l.getTrackGainDb(), 0.1, "ReplayGain 2.0: -18 LUFS reference");
    assertEquals(2.0, l.getAlbumGainDb(), 0.1, "a one-track album");
    assertEquals(-20.0, l.getTruePeakDbtp(), 0.2);
    CatalogTrack c = library.catalog().byId(id).orElseThrow();
    assertEquals(2.0, c.gain().trackGainDb(), 0.1, "the player gets the measured gain");
    assertEquals(Math.pow(10, -20 / 20.0), c.gain().trackPeak(), 0.005);
  }

  /**
   * A track without MixRamp tags gets them from the loudness job: a stereo sine fading in over 6 s
   * (-60 to 0 dBFS, 10 dB/s) reaches -20 dB 4 s in, and the player's MixRamp reads that.
   */
  @Test
  void theLoudnessJobGivesAnUntaggedTrackMixRampValuesFromItsFade() throws Exception {
    float[] x = io.tonearm.daemon.analysis.MixRampProfileTest.fade();
    ByteBuffer b = ByteBuffer.allocate(44 + x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + x.length * 2);
    b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
    b.putShort((short) 2).putInt(RATE).putInt(RATE * 4).putShort((short) 4).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(x.length * 2);
    for (float v : x) {
      b.putShort((short) Math.round(v * 32767));
    }
    Files.write(music.resolve("fade.wav"), b.array());
    String id = onlyTrackId();
    assertEquals("", library.catalog().byId(id).orElseThrow().mixrampStart(), "no tags");
    ApiResponse r = call("POST", "/api/v1/library/analyze", Map.of(), "{\"all\": true}");
    LibraryTest.awaitJob(jobs, ((AnalyzeReply) ((ApiResponse.Proto) r).message()).getJobId());
    CatalogTrack c = library.catalog().byId(id).orElseThrow();
    var start = io.tonearm.daemon.analysis.MixRampProfileTest.pairs(c.mixrampStart());
    var end = io.tonearm.daemon.analysis.MixRampProfileTest.pairs(c.mixrampEnd());
    assertEquals(4.0, start.get(-20), 0.1, c.mixrampStart());
    assertEquals(4.0, end.get(-20), 0.1, c.mixrampEnd());
  }

  /**
   * A file with MIXRAMP_START/END tags keeps them after the loudness job measured its own values:
   * the measurement is stored, but the player's catalog gives the tags (MPD's rule: tags are the
   * user's word).
   */
  @Test
  void mixRampTagsWinOverMeasuredValues() throws Exception {
    Path file = TaggedFiles.copy("1s_440Hz_44k1_mono.flac", music.resolve("tagged.flac"));
    String tagStart = "-40.00 0.05;-20.00 0.15";
    String tagEnd = "-40.00 0.07;-20.00 0.21";
    org.jaudiotagger.audio.AudioFile af = org.jaudiotagger.audio.AudioFileIO.read(file.toFile());
    org.jaudiotagger.tag.flac.FlacTag tag =
        (org.jaudiotagger.tag.flac.FlacTag) af.getTagOrCreateAndSetDefault();
    tag.getVorbisCommentTag().setField("MIXRAMP_START", tagStart);
    tag.getVorbisCommentTag().setField("MIXRAMP_END", tagEnd);
    af.commit();
    String id = onlyTrackId();
    assertEquals(tagStart, library.catalog().byId(id).orElseThrow().mixrampStart());

    ApiResponse r = call("POST", "/api/v1/library/analyze", Map.of(), "{\"all\": true}");
    LibraryTest.awaitJob(jobs, ((AnalyzeReply) ((ApiResponse.Proto) r).message()).getJobId());
    String measuredStart;
    String measuredEnd;
    try (var ps =
        library
            .db()
            .reader()
            .prepareStatement(
                "SELECT mixramp_start, mixramp_end FROM loudness WHERE track_id = ?")) {
      ps.setString(1, id);
      try (var rs = ps.executeQuery()) {
        assertTrue(rs.next(), "the loudness job measured the track");
        measuredStart = rs.getString(1);
        measuredEnd = rs.getString(2);
      }
    }
    assertFalse(measuredStart.isEmpty(), "a 440 Hz tone reaches the low levels: measured pairs");
    assertFalse(measuredEnd.isEmpty());
    assertNotEquals(tagStart, measuredStart);
    assertNotEquals(tagEnd, measuredEnd);
    CatalogTrack c = library.catalog().byId(id).orElseThrow();
    assertEquals(tagStart, c.mixrampStart(), "the tag, not the measurement");
    assertEquals(tagEnd, c.mixrampEnd());
  }

  @Test
  void untaggedFilesAreNotPooledIntoOneAlbumForAlbumGain() throws Exception {
    // Two untagged files in two folders: no album tag, so each is its own album for album gain.
    sine(Files.createDirectories(music.resolve("a")).resolve("quiet.wav"), -20, 3);
    sine(Files.createDirectories(music.resolve("b")).resolve("loud.wav"), -10, 3);
    library.folders().add(music.toString());
    ScanReply s =
        (ScanReply)
            ((ApiResponse.Proto) call("POST", "/api/v1/library/scan", Map.of(), "")).message();
    LibraryTest.awaitJob(jobs, s.getJobId());
    TrackList t =
        (TrackList)
            ((ApiResponse.Proto) call("GET", "/api/v1/library/tracks", Map.of(), "")).message();
    assertEquals(2, t.getTracksCount());
    ApiResponse r = call("POST", "/api/v1/library/analyze", Map.of(), "{\"all\": true}");
    LibraryTest.awaitJob(jobs, ((AnalyzeReply) ((ApiResponse.Proto) r).message()).getJobId());
    for (var track : t.getTracksList()) {
      TrackLoudness l =
          (TrackLoudness)
              ((ApiResponse.Proto)
                      call(
                          "GET",
                          "/api/v1/library/tracks/" + track.getId() + "/loudness",
                          Map.of(),
                          ""))
                  .message();
      double expected = track.getPath().endsWith("quiet.wav") ? 2.0 : -8.0;
      assertEquals(expected, l.getTrackGainDb(), 0.1, track.getPath());
      assertEquals(l.getTrackGainDb(), l.getAlbumGainDb(), 1e-9, track.getPath());
      assertEquals(l.getTrackPeak(), l.getAlbumPeak(), 1e-9, track.getPath());
    }
  }

  @Test
  void waveformOverviewHasTheAudiowaveformLayoutAndIsCached() throws Exception {
    sine(music.resolve("tone.wav"), -6, 2);
    String id = onlyTrackId();
    Map<String, List<String>> q =
        Map.of("samples_per_pixel", List.of("441"), "bits", List.of("8"), "version", List.of("2"));
    ApiResponse.Bytes dat =
        (ApiResponse.Bytes) call("GET", "/api/v1/library/tracks/" + id + "/waveform", q, "");
    ByteBuffer b = ByteBuffer.wrap(dat.body()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, b.getInt(0), "version");
    assertEquals(1, b.getInt(4), "flags: 8-bit");
    assertEquals(RATE, b.getInt(8), "sample rate");
    assertEquals(441, b.getInt(12), "samples per pixel");
    int length = b.getInt(16);
    assertEquals(2 * RATE / 441, length, "one column per 441 frames");
    assertEquals(1, b.getInt(20), "channels (v2 header)");
    // -6 dBFS: peak 0.501 of full scale, in 8 bits about +-64.
    int min = b.get(24 + 2 * 10);
    int max = b.get(24 + 2 * 10 + 1);
    assertEquals(-64, min, 1.5);
    assertEquals(64, max, 1.5);
    assertEquals(24 + 2 * length, dat.body().length);
    try (var files = Files.list(tmp.resolve("data/waveforms"))) {
      assertEquals(1, files.count(), "cached once");
    }
    ApiResponse.Bytes again =
        (ApiResponse.Bytes) call("GET", "/api/v1/library/tracks/" + id + "/waveform", q, "");
    assertEquals(dat.body().length, again.body().length);
  }

  @Test
  void waveformFormatsAreCachedApart() throws Exception {
    sine(music.resolve("tone.wav"), -6, 1);
    String path = "/api/v1/library/tracks/" + onlyTrackId() + "/waveform";
    Map<String, List<String>> dat = Map.of("samples_per_pixel", List.of("441"));
    Map<String, List<String>> json =
        Map.of("samples_per_pixel", List.of("441"), "format", List.of("json"));
    ApiResponse.Bytes first = (ApiResponse.Bytes) call("GET", path, dat, "");
    ApiResponse.Bytes asJson = (ApiResponse.Bytes) call("GET", path, json, "");
    ApiResponse.Bytes asDat = (ApiResponse.Bytes) call("GET", path, dat, "");
    assertEquals("application/json", asJson.contentType());
    assertEquals('{', asJson.body()[0], "JSON after a .dat request with the same parameters");
    assertEquals(2, ByteBuffer.wrap(asDat.body()).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    assertArrayEquals(first.body(), asDat.body(), "the .dat again, not the JSON");
    try (var files = Files.list(tmp.resolve("data/waveforms"))) {
      assertEquals(2, files.count(), "one cache file per format");
    }
  }

  @Test
  void badRequestsAreRefused() throws Exception {
    String id = "0123456789abcdef";
    assertThrows(ApiException.class, () -> call("POST", "/api/v1/library/analyze", Map.of(), "{}"));
    assertThrows(
        ApiException.class,
        () -> call("POST", "/api/v1/library/analyze", Map.of(), "{\"track_ids\": [\"../x\"]}"));
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                call(
                    "GET",
                    "/api/v1/library/tracks/" + id + "/waveform",
                    Map.of("bits", List.of("12")),
                    ""));
    assertEquals(422, e.status());
    e =
        assertThrows(
            ApiException.class,
            () -> call("GET", "/api/v1/library/tracks/" + id + "/waveform", Map.of(), ""));
    assertEquals(404, e.status());
    e =
        assertThrows(
            ApiException.class,
            () -> call("GET", "/api/v1/library/tracks/" + id + "/loudness", Map.of(), ""));
    assertEquals(404, e.status());
  }

  @Test
  void aCancelStopsALoudnessJobInsideItsFile() throws Exception {
    // 20 minutes of mono silence as a sparse file: seconds to measure, nothing to write.
    long frames = RATE * 60L * 20;
    ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + frames * 2));
    h.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
    h.putShort((short) 1).putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
    h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) (frames * 2));
    try (var f = new java.io.RandomAccessFile(music.resolve("long.wav").toFile(), "rw")) {
      f.write(h.array());
      f.setLength(44 + frames * 2);
    }
    String id = onlyTrackId();
    ApiResponse r = call("POST", "/api/v1/library/analyze", Map.of(), "{\"all\": true}");
    String job = ((AnalyzeReply) ((ApiResponse.Proto) r).message()).getJobId();
    while (jobs.find(job).orElseThrow().getState() == JobState.JOB_STATE_QUEUED) {
      Thread.sleep(1);
    }
    jobs.cancel(job);
    LibraryTest.awaitJob(jobs, job);
    assertEquals(JobState.JOB_STATE_CANCELLED, jobs.find(job).orElseThrow().getState());
    assertEquals(0, jobs.find(job).orElseThrow().getDone(), "the file was not finished");
    ApiException none =
        assertThrows(
            ApiException.class,
            () -> call("GET", "/api/v1/library/tracks/" + id + "/loudness", Map.of(), ""));
    assertEquals(404, none.status());
  }
}
