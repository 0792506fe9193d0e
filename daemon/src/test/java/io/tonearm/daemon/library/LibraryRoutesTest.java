package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.tonearm.proto.v1.FolderReply;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.ScanReply;
import io.tonearm.proto.v1.TrackList;
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

class LibraryRoutesTest {
  @TempDir Path tmp;
  Path music;
  Jobs jobs;
  Library library;
  Router router = new Router();

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
            CommandTable.newBuilder().library(new Browser(library)).jobs(jobs).build(), lane));
  }

  @AfterEach
  void close() throws Exception {
    library.close();
    jobs.close();
  }

  ApiResponse call(String method, String path, Map<String, List<String>> query, String body)
      throws Exception {
    var m = router.match(method, path).orElseThrow(() -> new AssertionError("no route " + path));
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
      throw (Exception) e.getCause();
    }
  }

  int status(String method, String path, Map<String, List<String>> query, String body) {
    if (router.match(method, path).isEmpty()) {
      return 404; // the transport answers 404 for a path no route takes
    }
    try {
      return call(method, path, query, body).status();
    } catch (ApiException e) {
      return e.status();
    } catch (DomainException e) {
      return ApiException.statusOf(e.kind());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  void scanned() throws Exception {
    ScanReply s =
        (ScanReply)
            ((ApiResponse.Proto) call("POST", "/api/v1/library/scan", Map.of(), "")).message();
    LibraryTest.awaitJob(jobs, s.getJobId());
  }

  @Test
  void folderAddRejectsBadPathsAndOverlaps() throws Exception {
    String added = "{\"path\": \"" + music + "\", \"skip_scan\": true}";
    FolderReply r =
        (FolderReply)
            ((ApiResponse.Proto) call("POST", "/api/v1/library/folders", Map.of(), added))
                .message();
    assertEquals(music.toRealPath().toString(), r.getFolder().getPath());
    assertEquals(409, status("POST", "/api/v1/library/folders", Map.of(), added));
    assertEquals(r.getFolder(), library.folders().ensure(music.toString()), "ensure is idempotent");
    Files.createDirectories(music.resolve("sub"));
    assertEquals(
        409,
        status(
            "POST",
            "/api/v1/library/folders",
            Map.of(),
            "{\"path\": \"" + music.resolve("sub") + "\"}"));
    assertEquals(
        400, status("POST", "/api/v1/library/folders", Map.of(), "{\"path\": \"relative/dir\"}"));
    assertEquals(
        400, status("POST", "/api/v1/library/folders", Map.of(), "{\"path\": \"/no/such/dir\"}"));
    Files.write(tmp.resolve("file"), new byte[1]);
    assertEquals(
        400,
        status(
            "POST",
            "/api/v1/library/folders",
            Map.of(),
            "{\"path\": \"" + tmp.resolve("file") + "\"}"));
    assertEquals(
        400, status("POST", "/api/v1/library/folders", Map.of(), "{\"path\": 3, \"bogus\": 1}"));
    assertEquals(404, status("DELETE", "/api/v1/library/folders/..", Map.of(), ""));
    assertEquals(404, status("DELETE", "/api/v1/library/folders/0123456789abcdef", Map.of(), ""));
    assertEquals(
        200, status("DELETE", "/api/v1/library/folders/" + r.getFolder().getId(), Map.of(), ""));
  }

  @Test
  void pathTraversalInIdsAndPathsIsRefused() throws Exception {
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("a/x.ogg"));
    library.folders().add(music.toString());
    scanned();
    String folder = library.folders().list().get(0).getId();
    for (String bad :
        List.of(
            "..",
            "%2e%2e",
            "..%2F..%2Fetc%2Fpasswd",
            "/etc/passwd",
            "0123456789ABCDEF",
            "x".repeat(5000))) {
      assertEquals(404, status("GET", "/api/v1/library/tracks/" + bad, Map.of(), ""), bad);
      assertEquals(
          404, status("GET", "/api/v1/library/tracks/" + bad + "/artwork", Map.of(), ""), bad);
      assertEquals(
          404, status("GET", "/api/v1/library/albums/" + bad + "/artwork", Map.of(), ""), bad);
      assertEquals(404, status("GET", "/api/v1/library/artwork/" + bad, Map.of(), ""), bad);
      assertEquals(404, status("GET", "/api/v1/jobs/" + bad, Map.of(), ""), bad);
    }
    for (String dir : List.of("..", "a/../..", "/etc", "a\\..\\..", "a/\0")) {
      assertEquals(
          400,
          status(
              "GET",
              "/api/v1/library/tracks",
              Map.of("folder_id", List.of(folder), "dir", List.of(dir)),
              ""),
          dir);
    }
    assertEquals(
        400, status("GET", "/api/v1/library/tracks", Map.of("folder_id", List.of("../x")), ""));
    TrackList inDir =
        (TrackList)
            ((ApiResponse.Proto)
                    call(
                        "GET",
                        "/api/v1/library/tracks",
                        Map.of("folder_id", List.of(folder), "dir", List.of("a")),
                        ""))
                .message();
    assertEquals(
        List.of("a/x.ogg"), inDir.getTracksList().stream().map(LibraryTrack::getPath).toList());
  }

  @Test
  void boundsAreEnforced() throws Exception {
    assertEquals(422, status("GET", "/api/v1/library/tracks", Map.of("limit", List.of("0")), ""));
    assertEquals(422, status("GET", "/api/v1/library/tracks", Map.of("limit", List.of("501")), ""));
    assertEquals(
        400, status("GET", "/api/v1/library/tracks", Map.of("cursor", List.of("!!!")), ""));
    assertEquals(400, status("GET", "/api/v1/library/search", Map.of(), ""));
    assertEquals(400, status("GET", "/api/v1/library/search", Map.of("q", List.of("\"*)(")), ""));
    assertEquals(
        422, status("GET", "/api/v1/library/search", Map.of("q", List.of("a".repeat(201))), ""));
    assertEquals(
        200, status("GET", "/api/v1/library/search", Map.of("q", List.of("NEAR(\"x\" OR")), ""));
  }

  @Test
  void artworkIsServedWithEtagByTrackAlbumAndId() throws Exception {
    TaggedFiles.copy("1s_440Hz_44k1_mono.ogg", music.resolve("x.ogg"));
    TaggedFiles.copy("cover_16x16_blue.jpg", music.resolve("folder.jpg"));
    library.folders().add(music.toString());
    scanned();
    LibraryTrack t =
        ((TrackList)
                ((ApiResponse.Proto) call("GET", "/api/v1/library/tracks", Map.of(), "")).message())
            .getTracks(0);
    byte[] jpeg = TaggedFiles.fixtureBytes("cover_16x16_blue.jpg");
    for (String path :
        List.of(
            "/api/v1/library/tracks/" + t.getId() + "/artwork",
            "/api/v1/library/albums/" + t.getAlbumId() + "/artwork",
            "/api/v1/library/artwork/" + t.getArtworkId())) {
      ApiResponse.Bytes b = (ApiResponse.Bytes) call("GET", path, Map.of(), "");
      assertEquals("image/jpeg", b.contentType());
      assertArrayEquals(jpeg, b.body());
      assertEquals("\"" + t.getArtworkId() + "\"", b.headers().get("ETag"));
      assertTrue(b.headers().containsKey("Cache-Control"));
      var m = router.match("GET", path).orElseThrow();
      ApiResponse cached =
          m.handler()
              .handle(
                  new ApiRequest(
                      "GET",
                      path,
                      m.params(),
                      Map.of(),
                      new byte[0],
                      false,
                      "t",
                      Map.of("if-none-match", b.headers().get("ETag"))))
              .toCompletableFuture()
              .get();
      assertEquals(304, cached.status(), "a client that has the picture gets 304");
      assertEquals(0, ((ApiResponse.Bytes) cached).body().length);
    }
  }
}
