package io.tonearm.client;

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
import java.util.List;

/**
 * The music library ({@code /api/v1/library}): tracks, albums, artists, genres, search, music
 * folders, browsing by directory, scans and artwork. Immutable and thread-safe; get it from {@link
 * TonearmClient#library()}.
 */
public final class LibraryCalls {

  private static final String BASE = "/api/v1/library";
  private final Requests r;

  LibraryCalls(Requests r) {
    this.r = r;
  }

  public Call<LibrarySummary> summary() {
    return r.get(BASE, LibrarySummary.parser());
  }

  public Call<TrackList> tracks(TrackQuery query) {
    return r.get(query.toPath(), TrackList.parser());
  }

  /** One track; with {@code lyrics}, its lyrics too. */
  public Call<TrackReply> track(String trackId, boolean lyrics) {
    return r.get(
        BASE
            + "/tracks/"
            + Requests.enc(Requests.id("trackId", trackId))
            + (lyrics ? "?lyrics=true" : ""),
        TrackReply.parser());
  }

  /** Albums, all or of one artist (null), a page at a time (cursor null for the first). */
  public Call<AlbumList> albums(String artistId, String cursor, int limit) {
    StringBuilder p = page(BASE + "/albums", cursor, limit);
    Requests.query(p, "artist_id", artistId);
    return r.get(p.toString(), AlbumList.parser());
  }

  public Call<ArtistList> artists(String cursor, int limit) {
    return r.get(page(BASE + "/artists", cursor, limit).toString(), ArtistList.parser());
  }

  public Call<GenreList> genres(String cursor, int limit) {
    return r.get(page(BASE + "/genres", cursor, limit).toString(), GenreList.parser());
  }

  /** Files the last scans could not read, with why. */
  public Call<FileErrorList> errors(String cursor, int limit) {
    return r.get(page(BASE + "/errors", cursor, limit).toString(), FileErrorList.parser());
  }

  /**
   * Full-text search: exact title matches first, then title words, artist, album, anywhere.
   *
   * @param query 1 to 200 characters
   * @param limit 1 to 200
   */
  public Call<TrackList> search(String query, int limit) {
    if (query == null || query.isBlank() || query.length() > 200) {
      throw new IllegalArgumentException("search query must be 1 to 200 characters");
    }
    Requests.range("limit", limit, 1, 200);
    StringBuilder p = new StringBuilder(BASE + "/search");
    Requests.query(p, "q", query);
    Requests.query(p, "limit", limit);
    return r.get(p.toString(), TrackList.parser());
  }

  public Call<FolderList> folders() {
    return r.get(BASE + "/folders", FolderList.parser());
  }

  /** The subdirectories of {@code dir} (empty for the top) in a music folder. */
  public Call<DirectoryList> dirs(String folderId, String dir) {
    StringBuilder p =
        new StringBuilder(
            BASE + "/folders/" + Requests.enc(Requests.id("folderId", folderId)) + "/dirs");
    Requests.query(p, "dir", dir == null ? "" : dir);
    return r.get(p.toString(), DirectoryList.parser());
  }

  /** Adds a music folder (and scans it unless {@code skipScan}). */
  public Call<FolderReply> addFolder(String path, boolean skipScan) {
    Requests.range("path length", Requests.id("path", path).length(), 1, 4096);
    return r.send(
        "POST",
        BASE + "/folders",
        AddFolderRequest.newBuilder().setPath(path).setSkipScan(skipScan).build(),
        FolderReply.parser());
  }

  /** Removes a music folder and its tracks from the library (the files stay). */
  public Call<FolderReply> removeFolder(String folderId) {
    return r.send(
        "DELETE",
        BASE + "/folders/" + Requests.enc(Requests.id("folderId", folderId)),
        null,
        FolderReply.parser());
  }

  /**
   * Starts a scan job: incremental (by size and mtime) or {@code full}, of the given folders or of
   * all (empty list). The reply names the job; its progress comes on the {@code jobs} topic.
   */
  public Call<ScanReply> scan(boolean full, List<String> folderIds) {
    Requests.ids("folderIds", folderIds);
    return r.send(
        "POST",
        BASE + "/scan",
        ScanRequest.newBuilder().setFull(full).addAllFolderIds(folderIds).build(),
        ScanReply.parser());
  }

  /** A track's picture (embedded or from its folder); 404 when it has none. */
  public Call<byte[]> trackArtwork(String trackId) {
    return r.bytes(
        "GET",
        BASE + "/tracks/" + Requests.enc(Requests.id("trackId", trackId)) + "/artwork",
        null,
        null);
  }

  /** An album's picture; 404 when it has none. */
  public Call<byte[]> albumArtwork(String albumId) {
    return r.bytes(
        "GET",
        BASE + "/albums/" + Requests.enc(Requests.id("albumId", albumId)) + "/artwork",
        null,
        null);
  }

  private static StringBuilder page(String base, String cursor, int limit) {
    Requests.range("limit", limit, 1, 500);
    StringBuilder p = new StringBuilder(base);
    Requests.query(p, "limit", limit);
    Requests.query(p, "cursor", cursor);
    return p;
  }
}
