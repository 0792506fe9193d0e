package io.tonearm.daemon.library;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.AddFolderRequest;
import io.tonearm.proto.v1.FolderList;
import io.tonearm.proto.v1.FolderReply;
import io.tonearm.proto.v1.ScanReply;
import io.tonearm.proto.v1.ScanRequest;
import io.tonearm.proto.v1.TrackReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The library's HTTP routes under {@code /api/v1/library}. Every handler validates its input on the
 * event loop, then does its store work on the library's reader pool and answers through the
 * returned stage.
 */
public final class LibraryRoutes {
  /** Default page size. */
  public static final int DEFAULT_PAGE = 100;

  private static final String ART_CACHE = "public, max-age=300";
  private static final String ART_IMMUTABLE = "public, max-age=31536000, immutable";

  private final Library library;

  private LibraryRoutes(Library library) {
    this.library = library;
  }

  /** Adds every library route to {@code router}. */
  public static void register(Router router, Library library) {
    LibraryRoutes r = new LibraryRoutes(library);
    String base = "/api/v1/library";
    router.get(base, req -> library.read(c -> ApiResponse.ok(library.summary())));
    router.get(base + "/tracks", r::tracks);
    router.get(base + "/tracks/{id}", r::track);
    router.get(base + "/tracks/{id}/artwork", req -> r.artwork(req, "tracks"));
    router.get(base + "/albums", r::albums);
    router.get(base + "/albums/{id}/artwork", req -> r.artwork(req, "albums"));
    router.get(base + "/artwork/{id}", r::artworkById);
    router.get(base + "/artists", r::artists);
    router.get(base + "/genres", r::genres);
    router.get(base + "/search", r::search);
    router.get(base + "/errors", r::errors);
    router.get(
        base + "/folders",
        req ->
            library.read(
                c ->
                    ApiResponse.ok(
                        FolderList.newBuilder().addAllFolders(Folders.list(c)).build())));
    router.get(base + "/folders/{id}/dirs", r::directory);
    router.post(base + "/folders", r::addFolder);
    router.delete(base + "/folders/{id}", r::removeFolder);
    router.post(base + "/scan", r::scan);
  }

  private java.util.concurrent.CompletionStage<ApiResponse> tracks(ApiRequest req) {
    int limit = limit(req);
    Cursor cur = Cursor.decode(req.queryParam("cursor", null));
    String folderId = optionalId(req, "folder_id");
    String dir = req.queryParam("dir", null);
    if (dir != null) {
      if (folderId == null) {
        throw ApiException.badRequest("dir needs folder_id");
      }
      checkRelativeDir(dir);
    }
    var filter =
        new LibraryQueries.TrackFilter(
            optionalId(req, "album_id"),
            optionalId(req, "artist_id"),
            boundedText(req, "genre"),
            folderId,
            dir);
    return library.read(c -> ApiResponse.ok(LibraryQueries.tracks(c, filter, cur, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> track(ApiRequest req) {
    String id = id(req, "track");
    boolean lyrics = Boolean.parseBoolean(req.queryParam("lyrics", "false"));
    return library.read(
        c ->
            ApiResponse.ok(
                TrackReply.newBuilder()
                    .setTrack(
                        LibraryQueries.track(c, id, lyrics)
                            .orElseThrow(() -> ApiException.notFound("track", id)))
                    .build()));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> albums(ApiRequest req) {
    int limit = limit(req);
    Cursor cur = Cursor.decode(req.queryParam("cursor", null));
    String artistId = optionalId(req, "artist_id");
    return library.read(c -> ApiResponse.ok(LibraryQueries.albums(c, artistId, cur, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> artists(ApiRequest req) {
    int limit = limit(req);
    Cursor cur = Cursor.decode(req.queryParam("cursor", null));
    return library.read(c -> ApiResponse.ok(LibraryQueries.artists(c, cur, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> genres(ApiRequest req) {
    int limit = limit(req);
    Cursor cur = Cursor.decode(req.queryParam("cursor", null));
    return library.read(c -> ApiResponse.ok(LibraryQueries.genres(c, cur, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> errors(ApiRequest req) {
    int limit = limit(req);
    Cursor cur = Cursor.decode(req.queryParam("cursor", null));
    return library.read(c -> ApiResponse.ok(LibraryQueries.errors(c, cur, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> search(ApiRequest req) {
    String q = req.queryParam("q", "");
    LibraryQueries.ftsQuery(q); // validates before leaving the event loop
    int limit = req.intParam("limit", 50, 1, LibraryQueries.MAX_SEARCH);
    return library.read(c -> ApiResponse.ok(LibraryQueries.search(c, q, limit)));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> artwork(ApiRequest req, String table) {
    String id = id(req, table.equals("tracks") ? "track" : "album");
    return library.read(
        c -> {
          Optional<String> art = LibraryQueries.artworkOf(c, table, id);
          if (art.isEmpty()) {
            throw ApiException.notFound("artwork of " + table.substring(0, 5), id);
          }
          return image(c, art.get(), ART_CACHE, req.header("if-none-match"));
        });
  }

  private java.util.concurrent.CompletionStage<ApiResponse> artworkById(ApiRequest req) {
    String id = id(req, "artwork");
    return library.read(c -> image(c, id, ART_IMMUTABLE, req.header("if-none-match")));
  }

  /**
   * The picture, or 304 when the client's If-None-Match already names it (ids are content hashes).
   */
  private ApiResponse image(
      java.sql.Connection c, String artworkId, String cacheControl, String ifNoneMatch)
      throws java.sql.SQLException {
    String etag = "\"" + artworkId + "\"";
    if (etag.equals(ifNoneMatch)) {
      return new ApiResponse.Bytes(
          304,
          "application/octet-stream",
          new byte[0],
          Map.of("ETag", etag, "Cache-Control", cacheControl));
    }
    String mime =
        LibraryQueries.artworkMime(c, artworkId)
            .orElseThrow(() -> ApiException.notFound("artwork", artworkId));
    byte[] bytes;
    try {
      bytes =
          library
              .artwork()
              .get(artworkId)
              .orElseThrow(() -> ApiException.notFound("artwork", artworkId));
    } catch (java.io.IOException e) {
      throw new ApiException(500, "internal", "artwork unreadable: " + e.getMessage());
    }
    return ApiResponse.bytes(mime, bytes, Map.of("ETag", etag, "Cache-Control", cacheControl));
  }

  private java.util.concurrent.CompletionStage<ApiResponse> directory(ApiRequest req) {
    String id = id(req, "folder");
    String dir = req.queryParam("dir", "");
    checkRelativeDir(dir);
    return library.read(
        c -> {
          if (Folders.list(c).stream().noneMatch(f -> f.getId().equals(id))) {
            throw ApiException.notFound("folder", id);
          }
          return ApiResponse.ok(LibraryQueries.directory(c, id, dir));
        });
  }

  private java.util.concurrent.CompletionStage<ApiResponse> addFolder(ApiRequest req) {
    AddFolderRequest body = req.parse(AddFolderRequest.newBuilder()).build();
    return library.read(
        c -> {
          Folders.Change ch = library.folders().add(body.getPath());
          FolderReply.Builder reply =
              FolderReply.newBuilder().setSeq(ch.seq()).setFolder(ch.folder());
          if (!body.getSkipScan()) {
            reply.setJobId(library.scan(false, List.of(ch.folder().getId()), req.client()).jobId());
          }
          return new ApiResponse.Proto(201, reply.build());
        });
  }

  private java.util.concurrent.CompletionStage<ApiResponse> removeFolder(ApiRequest req) {
    String id = id(req, "folder");
    return library.read(
        c -> {
          try {
            Folders.Change ch = library.folders().remove(id);
            return ApiResponse.ok(
                FolderReply.newBuilder().setSeq(ch.seq()).setFolder(ch.folder()).build());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "shutting down");
          }
        });
  }

  private java.util.concurrent.CompletionStage<ApiResponse> scan(ApiRequest req) {
    ScanRequest body = req.parse(ScanRequest.newBuilder()).build();
    for (String id : body.getFolderIdsList()) {
      if (!Ids.valid(id)) {
        throw ApiException.notFound("folder", Folders.clip(id));
      }
    }
    return library.read(
        c -> {
          try {
            Jobs.Submitted s = library.scan(body.getFull(), body.getFolderIdsList(), req.client());
            return new ApiResponse.Proto(
                202, ScanReply.newBuilder().setJobId(s.jobId()).setSeq(s.seq()).build());
          } catch (IllegalStateException e) {
            throw new ApiException(503, "busy", e.getMessage());
          }
        });
  }

  private static int limit(ApiRequest req) {
    return req.intParam("limit", DEFAULT_PAGE, 1, LibraryQueries.MAX_PAGE);
  }

  private static String id(ApiRequest req, String what) {
    String id = req.param("id");
    if (!Ids.valid(id)) {
      throw ApiException.notFound(what, Folders.clip(id));
    }
    return id;
  }

  private static String optionalId(ApiRequest req, String name) {
    String v = req.queryParam(name, null);
    if (v != null && !Ids.valid(v)) {
      throw ApiException.badRequest(name + " is not an id: " + Folders.clip(v));
    }
    return v;
  }

  private static String boundedText(ApiRequest req, String name) {
    String v = req.queryParam(name, null);
    if (v != null && v.length() > TagFields.MAX_TEXT) {
      throw ApiException.outOfRange(name + " length", v.length(), "0 to " + TagFields.MAX_TEXT);
    }
    return v;
  }

  /** A directory relative to a music folder: no '..', no absolute path, no backslash or NUL. */
  static void checkRelativeDir(String dir) {
    if (dir.length() > Folders.MAX_PATH
        || dir.startsWith("/")
        || dir.indexOf('\0') >= 0
        || dir.indexOf('\\') >= 0
        || List.of(dir.split("/")).contains("..")) {
      throw ApiException.badRequest("dir must be a relative path inside the folder");
    }
  }
}
