package io.tonearm.client;

/**
 * Which library tracks to list and which page: filters (album, artist, genre, music folder and a
 * directory in it) and a page ({@code limit} 1 to 500, {@code cursor} from the previous page's
 * {@code page.next_cursor}). Null means "not set". Immutable; start from {@link #all()}.
 *
 * @param limit tracks per page, 1 to 500, or null for the daemon's default (100)
 * @param cursor where the page starts, or null for the first page
 * @param albumId only this album's tracks, or null
 * @param artistId only this artist's tracks, or null
 * @param genre only this genre, or null
 * @param folderId only this music folder's tracks, or null
 * @param dir with a folder: only tracks at or below this directory of it, or null
 */
public record TrackQuery(
    Integer limit,
    String cursor,
    String albumId,
    String artistId,
    String genre,
    String folderId,
    String dir) {

  public TrackQuery {
    if (limit != null) {
      Requests.range("limit", limit, 1, 500);
    }
    if (dir != null && folderId == null) {
      throw new IllegalArgumentException("dir needs a folderId");
    }
  }

  /** Every track, first page. */
  public static TrackQuery all() {
    return new TrackQuery(null, null, null, null, null, null, null);
  }

  public TrackQuery withLimit(int n) {
    return new TrackQuery(n, cursor, albumId, artistId, genre, folderId, dir);
  }

  public TrackQuery withCursor(String c) {
    return new TrackQuery(limit, c, albumId, artistId, genre, folderId, dir);
  }

  public TrackQuery withAlbum(String id) {
    return new TrackQuery(
        limit, cursor, Requests.id("albumId", id), artistId, genre, folderId, dir);
  }

  public TrackQuery withArtist(String id) {
    return new TrackQuery(
        limit, cursor, albumId, Requests.id("artistId", id), genre, folderId, dir);
  }

  public TrackQuery withGenre(String g) {
    return new TrackQuery(limit, cursor, albumId, artistId, Requests.id("genre", g), folderId, dir);
  }

  /** Tracks of a music folder, at or below {@code directory} (null or empty for all of it). */
  public TrackQuery withFolder(String id, String directory) {
    return new TrackQuery(
        limit,
        cursor,
        albumId,
        artistId,
        genre,
        Requests.id("folderId", id),
        directory == null || directory.isEmpty() ? null : directory);
  }

  String toPath() {
    StringBuilder p = new StringBuilder("/api/v1/library/tracks");
    Requests.query(p, "limit", limit);
    Requests.query(p, "cursor", cursor);
    Requests.query(p, "album_id", albumId);
    Requests.query(p, "artist_id", artistId);
    Requests.query(p, "genre", genre);
    Requests.query(p, "folder_id", folderId);
    Requests.query(p, "dir", dir);
    return p.toString();
  }
}
