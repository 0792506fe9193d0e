package io.tonearm.daemon.library;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.AlbumList;
import io.tonearm.proto.v1.ArtistList;
import io.tonearm.proto.v1.DirectoryList;
import io.tonearm.proto.v1.FileErrorList;
import io.tonearm.proto.v1.FolderList;
import io.tonearm.proto.v1.FolderReply;
import io.tonearm.proto.v1.GenreList;
import io.tonearm.proto.v1.LibrarySummary;
import io.tonearm.proto.v1.ScanReply;
import io.tonearm.proto.v1.TrackList;
import io.tonearm.proto.v1.TrackReply;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The library's queries and changes as typed calls: each checks its arguments on the caller's
 * thread (a refusal is a {@link DomainException} before anything runs), then does its store work on
 * the library's reader pool and completes there. Thread-safe; never blocks the caller.
 */
public final class Browser {

  /** Default page size. */
  public static final int DEFAULT_PAGE = 100;

  /** Largest page. */
  public static final int MAX_PAGE = LibraryQueries.MAX_PAGE;

  /** Most search results. */
  public static final int MAX_SEARCH = LibraryQueries.MAX_SEARCH;

  /** A stored picture. */
  public record Artwork(String id, String mime, byte[] bytes) {}

  /** What a track list may be narrowed to; null fields do not narrow. */
  public record TrackFilter(
      String albumId, String artistId, String genre, String folderId, String dir) {}

  private final Library library;

  public Browser(Library library) {
    this.library = library;
  }

  public CompletionStage<LibrarySummary> summary() {
    return library.read(c -> library.summary());
  }

  /** A page of tracks; {@code cursor} is the previous page's next_cursor or null. */
  public CompletionStage<TrackList> tracks(TrackFilter f, String cursor, int limit) {
    Cursor cur = Cursor.decode(cursor);
    if (f.dir() != null) {
      if (f.folderId() == null) {
        throw DomainException.badRequest("dir needs folder_id");
      }
      checkRelativeDir(f.dir());
    }
    var filter =
        new LibraryQueries.TrackFilter(
            optionalId("album_id", f.albumId()),
            optionalId("artist_id", f.artistId()),
            boundedText("genre", f.genre()),
            optionalId("folder_id", f.folderId()),
            f.dir());
    return library.read(c -> LibraryQueries.tracks(c, filter, cur, limit));
  }

  public CompletionStage<TrackReply> track(String id, boolean lyrics) {
    checkId("track", id);
    return library.read(
        c ->
            TrackReply.newBuilder()
                .setTrack(
                    LibraryQueries.track(c, id, lyrics)
                        .orElseThrow(() -> DomainException.notFound("track", id)))
                .build());
  }

  public CompletionStage<AlbumList> albums(String artistId, String cursor, int limit) {
    Cursor cur = Cursor.decode(cursor);
    String artist = optionalId("artist_id", artistId);
    return library.read(c -> LibraryQueries.albums(c, artist, cur, limit));
  }

  public CompletionStage<ArtistList> artists(String cursor, int limit) {
    Cursor cur = Cursor.decode(cursor);
    return library.read(c -> LibraryQueries.artists(c, cur, limit));
  }

  public CompletionStage<GenreList> genres(String cursor, int limit) {
    Cursor cur = Cursor.decode(cursor);
    return library.read(c -> LibraryQueries.genres(c, cur, limit));
  }

  public CompletionStage<FileErrorList> errors(String cursor, int limit) {
    Cursor cur = Cursor.decode(cursor);
    return library.read(c -> LibraryQueries.errors(c, cur, limit));
  }

  public CompletionStage<TrackList> search(String q, int limit) {
    return library.search(q, limit);
  }

  public CompletionStage<FolderList> folders() {
    return library.read(c -> FolderList.newBuilder().addAllFolders(Folders.list(c)).build());
  }

  /** One directory level of a music folder; {@code dir} relative to it, "" for its top. */
  public CompletionStage<DirectoryList> directory(String folderId, String dir) {
    checkId("folder", folderId);
    checkRelativeDir(dir);
    return library.read(
        c -> {
          if (Folders.list(c).stream().noneMatch(f -> f.getId().equals(folderId))) {
            throw DomainException.notFound("folder", folderId);
          }
          return LibraryQueries.directory(c, folderId, dir);
        });
  }

  /** Adds a music folder and, unless {@code skipScan}, starts its scan. */
  public CompletionStage<FolderReply> addFolder(String path, boolean skipScan, String origin) {
    return library.read(
        c -> {
          Folders.Change ch = library.folders().add(path);
          FolderReply.Builder reply =
              FolderReply.newBuilder().setSeq(ch.seq()).setFolder(ch.folder());
          if (!skipScan) {
            reply.setJobId(library.scan(false, List.of(ch.folder().getId()), origin).jobId());
          }
          return reply.build();
        });
  }

  public CompletionStage<FolderReply> removeFolder(String folderId) {
    checkId("folder", folderId);
    return library.read(
        c -> {
          try {
            Folders.Change ch = library.folders().remove(folderId);
            return FolderReply.newBuilder().setSeq(ch.seq()).setFolder(ch.folder()).build();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "shutting down");
          }
        });
  }

  /** Starts a scan job of the given folders (all when empty). */
  public CompletionStage<ScanReply> scan(boolean full, List<String> folderIds, String origin) {
    for (String id : folderIds) {
      if (!Ids.valid(id)) {
        throw DomainException.notFound("folder", Folders.clip(id));
      }
    }
    return library.read(
        c -> {
          try {
            Jobs.Submitted s = library.scan(full, folderIds, origin);
            return ScanReply.newBuilder().setJobId(s.jobId()).setSeq(s.seq()).build();
          } catch (IllegalStateException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "busy", e.getMessage());
          }
        });
  }

  /**
   * The artwork id of a track ({@code "tracks"}) or an album ({@code "albums"}); a {@code
   * not_found} refusal when it has none.
   */
  public CompletionStage<String> artworkIdOf(String table, String id) {
    boolean tracks = table.equals("tracks");
    checkId(tracks ? "track" : "album", id);
    return library.read(
        c -> {
          Optional<String> art = LibraryQueries.artworkOf(c, tracks ? "tracks" : "albums", id);
          return art.orElseThrow(
              () -> DomainException.notFound("artwork of " + (tracks ? "track" : "album"), id));
        });
  }

  /** A stored picture by its id (a content hash). */
  public CompletionStage<Artwork> artwork(String artworkId) {
    checkId("artwork", artworkId);
    return library.read(
        c -> {
          String mime =
              LibraryQueries.artworkMime(c, artworkId)
                  .orElseThrow(() -> DomainException.notFound("artwork", artworkId));
          byte[] bytes;
          try {
            bytes =
                library
                    .artwork()
                    .get(artworkId)
                    .orElseThrow(() -> DomainException.notFound("artwork", artworkId));
          } catch (IOException e) {
            throw new DomainException(
                DomainException.Kind.INTERNAL, "internal", "artwork unreadable: " + e.getMessage());
          }
          return new Artwork(artworkId, mime, bytes);
        });
  }

  private static void checkId(String what, String id) {
    if (!Ids.valid(id)) {
      throw DomainException.notFound(what, Folders.clip(id));
    }
  }

  private static String optionalId(String name, String v) {
    if (v != null && !Ids.valid(v)) {
      throw DomainException.badRequest(name + " is not an id: " + Folders.clip(v));
    }
    return v;
  }

  private static String boundedText(String name, String v) {
    if (v != null && v.length() > TagFields.MAX_TEXT) {
      throw DomainException.outOfRange(name + " length", v.length(), "0 to " + TagFields.MAX_TEXT);
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
      throw DomainException.badRequest("dir must be a relative path inside the folder");
    }
  }
}
