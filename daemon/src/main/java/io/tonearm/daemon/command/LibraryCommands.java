package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.library.Browser;
import io.tonearm.proto.v1.AddFolderRequest;
import io.tonearm.proto.v1.AlbumList;
import io.tonearm.proto.v1.ArtistList;
import io.tonearm.proto.v1.DirectoryList;
import io.tonearm.proto.v1.FileErrorList;
import io.tonearm.proto.v1.FolderList;
import io.tonearm.proto.v1.FolderReply;
import io.tonearm.proto.v1.GenreList;
import io.tonearm.proto.v1.LibrarySummary;
import io.tonearm.proto.v1.ScanReply;
import io.tonearm.proto.v1.ScanRequest;
import io.tonearm.proto.v1.TrackList;
import io.tonearm.proto.v1.TrackReply;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handlers of the library commands: parameters to typed arguments, then the {@link Browser}. The
 * artwork routes answer bytes with ETags and are HTTP only.
 */
final class LibraryCommands {

  private static final String ART_CACHE = "public, max-age=300";
  private static final String ART_IMMUTABLE = "public, max-age=31536000, immutable";

  private final Browser browser;

  LibraryCommands(Browser browser) {
    this.browser = browser;
  }

  CompletionStage<LibrarySummary> summary(Call<Empty> c) {
    return browser.summary();
  }

  CompletionStage<TrackList> tracks(Call<Empty> c) {
    return browser.tracks(
        new Browser.TrackFilter(
            c.param("album_id", null),
            c.param("artist_id", null),
            c.param("genre", null),
            c.param("folder_id", null),
            c.param("dir", null)),
        c.param("cursor", null),
        limit(c));
  }

  CompletionStage<TrackReply> track(Call<Empty> c) {
    return browser.track(c.param("id"), Boolean.parseBoolean(c.param("lyrics", "false")));
  }

  CompletionStage<AlbumList> albums(Call<Empty> c) {
    return browser.albums(c.param("artist_id", null), c.param("cursor", null), limit(c));
  }

  CompletionStage<ArtistList> artists(Call<Empty> c) {
    return browser.artists(c.param("cursor", null), limit(c));
  }

  CompletionStage<GenreList> genres(Call<Empty> c) {
    return browser.genres(c.param("cursor", null), limit(c));
  }

  CompletionStage<FileErrorList> errors(Call<Empty> c) {
    return browser.errors(c.param("cursor", null), limit(c));
  }

  CompletionStage<TrackList> search(Call<Empty> c) {
    return browser.search(c.param("q", ""), c.intParam("limit", 50, 1, Browser.MAX_SEARCH));
  }

  CompletionStage<FolderList> folders(Call<Empty> c) {
    return browser.folders();
  }

  CompletionStage<DirectoryList> directory(Call<Empty> c) {
    return browser.directory(c.param("id"), c.param("dir", ""));
  }

  CompletionStage<FolderReply> addFolder(Call<AddFolderRequest> c) {
    AddFolderRequest r = c.request();
    return browser.addFolder(r.getPath(), r.getSkipScan(), c.origin().getClient());
  }

  CompletionStage<FolderReply> removeFolder(Call<Empty> c) {
    return browser.removeFolder(c.param("id"));
  }

  CompletionStage<ScanReply> scan(Call<ScanRequest> c) {
    ScanRequest r = c.request();
    return browser.scan(r.getFull(), r.getFolderIdsList(), c.origin().getClient());
  }

  /** {@code GET .../tracks/{id}/artwork} or {@code .../albums/{id}/artwork}. */
  ApiHandler artworkOf(String table) {
    return req -> {
      String ifNoneMatch = req.header("if-none-match");
      return browser
          .artworkIdOf(table, req.param("id"))
          .thenCompose(id -> image(id, ART_CACHE, ifNoneMatch));
    };
  }

  /** {@code GET /api/v1/library/artwork/{id}}: ids are content hashes, so it never changes. */
  ApiHandler artworkById() {
    return req -> image(req.param("id"), ART_IMMUTABLE, req.header("if-none-match"));
  }

  /** The picture, or 304 when the client's If-None-Match already names it. */
  private CompletionStage<ApiResponse> image(String id, String cacheControl, String ifNoneMatch) {
    String etag = "\"" + id + "\"";
    Map<String, String> headers = Map.of("ETag", etag, "Cache-Control", cacheControl);
    if (io.tonearm.daemon.api.EntityTags.noneMatchFails(ifNoneMatch, etag)) {
      return CompletableFuture.completedFuture(
          new ApiResponse.Bytes(304, "application/octet-stream", new byte[0], headers));
    }
    return browser.artwork(id).thenApply(a -> ApiResponse.bytes(a.mime(), a.bytes(), headers));
  }

  private static int limit(Call<?> c) {
    return c.intParam("limit", Browser.DEFAULT_PAGE, 1, Browser.MAX_PAGE);
  }
}
