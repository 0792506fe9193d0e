package io.tonearm.daemon.playlists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.command.CommandRunner;
import io.tonearm.daemon.command.CommandTable;
import io.tonearm.daemon.command.HttpCommands;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainException.Kind;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.Library;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Playlist;
import io.tonearm.proto.v1.PlaylistChanged;
import io.tonearm.proto.v1.PlaylistImportReply;
import io.tonearm.proto.v1.PlaylistItem;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaylistsTest {
  @TempDir Path tmp;
  Path music;
  RecordingLane lane;
  Jobs jobs;
  Library library;
  Playlists playlists;
  List<LibraryTrack> tracks;

  @BeforeEach
  void open() throws Exception {
    music = Files.createDirectories(tmp.resolve("music"));
    for (int i = 0; i < 4; i++) {
      try (InputStream in = getClass().getResourceAsStream("/library/1s_440Hz_44k1_mono.ogg")) {
        Files.copy(in, music.resolve("t" + i + ".ogg"));
      }
    }
    lane = new RecordingLane();
    jobs = new Jobs(lane, 1);
    jobs.start();
    library = new Library(tmp.resolve("data"), lane, jobs);
    library.folders().add(music.toString());
    String job = library.scan(false, List.of(), "test").jobId();
    while (jobs.find(job).orElseThrow().getState() != JobState.JOB_STATE_COMPLETED) {
      Thread.sleep(10);
    }
    Router r = new Router();
    HttpCommands.mount(
        r,
        new CommandRunner(
            CommandTable.newBuilder()
                .library(new io.tonearm.daemon.library.Browser(library))
                .build(),
            lane));
    tracks =
        ((io.tonearm.proto.v1.TrackList)
                ((ApiResponse.Proto) call(r, "GET", "/api/v1/library/tracks", "")).message())
            .getTracksList();
    playlists = new Playlists(library, lane);
  }

  @AfterEach
  void close() throws Exception {
    playlists.close();
    library.close();
    jobs.close();
  }

  static ApiResponse call(Router r, String method, String path, String body) throws Exception {
    var m = r.match(method, path).orElseThrow();
    try {
      return m.handler()
          .handle(
              new ApiRequest(
                  method,
                  path,
                  m.params(),
                  Map.of(),
                  body.getBytes(StandardCharsets.UTF_8),
                  false,
                  "test"))
          .toCompletableFuture()
          .get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  String id(int i) {
    return tracks.get(i).getId();
  }

  PlaylistChanged lastEvent() {
    List<Envelope> ev = lane.matching(Envelope::hasPlaylists);
    return ev.get(ev.size() - 1).getPlaylists();
  }

  static <T> T get(java.util.concurrent.CompletionStage<T> s) throws Exception {
    try {
      return s.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void everyChangeIsOneEventCarryingTheChange() throws Exception {
    var created = get(playlists.create("Mix", List.of(id(0), id(1))));
    String pid = created.getPlaylist().getSummary().getId();
    assertEquals(created.getSeq(), lane.currentSeq());
    assertEquals(2, lastEvent().getCreated().getPlaylist().getItemsCount());

    var added = get(playlists.add(pid, List.of(id(2), id(2)), 1));
    PlaylistChanged.Inserted ins = lastEvent().getInserted();
    assertEquals(1, ins.getIndex());
    assertEquals(
        List.of(id(2), id(2)), ins.getItemsList().stream().map(PlaylistItem::getTrackId).toList());
    assertEquals(List.of(id(0), id(2), id(2), id(1)), trackIds(added.getPlaylist()));

    String last = added.getPlaylist().getItems(3).getItemId();
    var moved = get(playlists.move(pid, last, 0));
    assertEquals(last, lastEvent().getMoved().getItemId());
    assertEquals(0, lastEvent().getMoved().getToIndex());
    assertEquals(List.of(id(1), id(0), id(2), id(2)), trackIds(moved.getPlaylist()));

    String dup = moved.getPlaylist().getItems(2).getItemId();
    var removed = get(playlists.remove(pid, List.of(dup)));
    assertEquals(List.of(dup), lastEvent().getRemoved().getItemIdsList());
    assertEquals(List.of(id(1), id(0), id(2)), trackIds(removed.getPlaylist()));

    get(playlists.rename(pid, "Renamed"));
    assertEquals("Renamed", lastEvent().getRenamed().getName());
    assertEquals("Renamed", lastEvent().getSummary().getName());

    var cleared = get(playlists.clear(pid));
    assertTrue(lastEvent().hasCleared());
    assertEquals(0, cleared.getPlaylist().getItemsCount());

    get(playlists.delete(pid));
    assertTrue(lastEvent().hasDeleted());
    assertEquals(0, get(playlists.list()).getPlaylistsCount());
  }

  @Test
  void badRequestsChangeNothing() throws Exception {
    String pid = get(playlists.create("P", List.of(id(0)))).getPlaylist().getSummary().getId();
    long seq = lane.currentSeq();
    DomainException e =
        assertThrows(
            DomainException.class,
            () -> get(playlists.add(pid, List.of(id(1), "00000000deadbeef"), null)));
    assertEquals(Kind.NOT_FOUND, e.kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(
                DomainException.class,
                () -> get(playlists.add(pid, List.of("../../etc/passwd"), null)))
            .kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(DomainException.class, () -> get(playlists.get("../x"))).kind());
    assertEquals(
        Kind.INVALID,
        assertThrows(DomainException.class, () -> get(playlists.rename(pid, " "))).kind());
    assertEquals(
        Kind.INVALID,
        assertThrows(DomainException.class, () -> get(playlists.rename(pid, "x".repeat(201))))
            .kind());
    assertEquals(
        Kind.UNPROCESSABLE,
        assertThrows(
                DomainException.class,
                () -> get(playlists.move(pid, get(playlists.get(pid)).getItems(0).getItemId(), 5)))
            .kind());
    assertEquals(
        Kind.NOT_FOUND,
        assertThrows(DomainException.class, () -> get(playlists.remove(pid, List.of("nope"))))
            .kind());
    assertEquals(seq, lane.currentSeq(), "no event for a refused change");
    assertEquals(List.of(id(0)), trackIds(get(playlists.get(pid))));
  }

  @Test
  void m3uImportResolvesInsideFoldersOnlyAndExportRoundTrips() throws Exception {
    Router r = new Router();
    HttpCommands.mount(
        r, new CommandRunner(CommandTable.newBuilder().playlists(playlists).build(), lane));
    Path real = music.toRealPath();
    String m3u =
        "\uFEFF#EXTM3U\n#EXTINF:1,x\n"
            + real.resolve("t1.ogg")
            + "\r\nt2.ogg\n"
            + real.resolve("../music/t3.ogg")
            + "\n/etc/passwd\n../../etc/shadow\nhttp://example.com/a.mp3\nmissing.ogg\n";
    PlaylistImportReply reply =
        (PlaylistImportReply)
            ((ApiResponse.Proto) call(r, "POST", "/api/v1/playlists/import", m3u)).message();
    assertEquals(List.of(id(1), id(2), id(3)), trackIds(reply.getPlaylist()));
    assertEquals(4, reply.getUnresolvedCount());

    String pid = reply.getPlaylist().getSummary().getId();
    ApiResponse.Bytes out =
        (ApiResponse.Bytes) call(r, "GET", "/api/v1/playlists/" + pid + "/m3u", "");
    String text = new String(out.body(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("#EXTM3U\n"));
    PlaylistImportReply again =
        (PlaylistImportReply)
            ((ApiResponse.Proto) call(r, "POST", "/api/v1/playlists/import", text)).message();
    assertEquals(trackIds(reply.getPlaylist()), trackIds(again.getPlaylist()));
    assertEquals(0, again.getUnresolvedCount());

    byte[] big = new byte[M3u.MAX_BYTES + 1];
    DomainException tooBig =
        assertThrows(
            DomainException.class,
            () ->
                call(
                    r,
                    "POST",
                    "/api/v1/playlists/import",
                    new String(big, StandardCharsets.ISO_8859_1)));
    assertEquals(Kind.TOO_LARGE, tooBig.kind());
  }

  static List<String> trackIds(Playlist p) {
    return p.getItemsList().stream().map(PlaylistItem::getTrackId).toList();
  }
}
