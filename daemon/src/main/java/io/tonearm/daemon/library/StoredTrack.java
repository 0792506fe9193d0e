package io.tonearm.daemon.library;

/**
 * A track as stored: where its file is, what its tags say and the ids derived from them.
 *
 * @param path the file's real absolute path
 * @param relPath the path relative to its music folder, '/'-separated
 * @param artworkId the cached artwork's id, or null
 * @param tags the tags (its picture is always null here)
 */
record StoredTrack(
    String id,
    String folderId,
    String path,
    String relPath,
    long size,
    long mtimeMs,
    String albumId,
    String artistId,
    String albumArtistId,
    String artworkId,
    TrackTags tags) {

  /** Builds the row for a file just read, deriving its ids. */
  static StoredTrack of(
      String folderId,
      String path,
      String relPath,
      long size,
      long mtimeMs,
      TrackTags t,
      String art) {
    String albumArtist = t.albumArtist().isEmpty() ? t.artist() : t.albumArtist();
    return new StoredTrack(
        Ids.ofPath(path),
        folderId,
        path,
        relPath,
        size,
        mtimeMs,
        Ids.ofAlbum(albumArtist, t.album()),
        t.artist().isEmpty() ? "" : Ids.ofArtist(t.artist()),
        albumArtist.isEmpty() ? "" : Ids.ofArtist(albumArtist),
        art,
        t);
  }

  /** The name the track's album is listed under. */
  String albumArtistName() {
    return tags.albumArtist().isEmpty() ? tags.artist() : tags.albumArtist();
  }

  /** Sort key for track lists: album artist, album, disc, track number, path. */
  String sortKey() {
    return Ids.normalize(albumArtistName())
        + '\u0001'
        + Ids.normalize(tags.album())
        + '\u0001'
        + zeroPadded(Math.min(tags.discNumber(), 9999), 4)
        + zeroPadded(Math.min(tags.trackNumber(), 999_999), 6)
        + '\u0001'
        + relPath;
  }

  /** {@code String.format("%0<width>d", n)} without the formatter (a scan makes one per track). */
  static String zeroPadded(int n, int width) {
    if (n < 0) {
      return String.format("%0" + width + "d", n); // tags never hold these; keep the old form
    }
    String digits = Integer.toString(n);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
