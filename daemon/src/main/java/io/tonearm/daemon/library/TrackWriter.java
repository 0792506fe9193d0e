package io.tonearm.daemon.library;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan's writes: tracks, albums, artists, artwork rows and file errors. Every method runs
 * inside a transaction the caller opened with {@link LibraryDb#write}.
 */
final class TrackWriter {
  private TrackWriter() {}

  /** What the store knows of a folder's files: real path to {size, mtime}, tracks and errors. */
  static Map<String, long[]> known(Connection c, String folderId) throws SQLException {
    Map<String, long[]> out = new HashMap<>();
    for (String table : new String[] {"tracks", "file_errors"}) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT path, size, mtime_ms FROM " + table + " WHERE folder_id = ?")) {
        ps.setString(1, folderId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
          }
        }
      }
    }
    return out;
  }

  private static final String UPSERT =
      """
      INSERT INTO tracks(id, folder_id, path, rel_path, size, mtime_ms, title, artist, album,
        album_artist, album_id, artist_id, album_artist_id, track_no, track_total, disc_no,
        disc_total, year, genre, duration_ms, sample_rate, channels, bitrate, codec, rg_track_gain,
        rg_track_peak, rg_album_gain, rg_album_peak, mb_recording, mb_release_track, mb_release,
        mb_artist, mb_release_artist, lyrics, artwork_id, sort_key, mixramp_start, mixramp_end,
        bits, date)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
      ON CONFLICT(path) DO UPDATE SET folder_id=excluded.folder_id, rel_path=excluded.rel_path,
        size=excluded.size, mtime_ms=excluded.mtime_ms, title=excluded.title,
        artist=excluded.artist, album=excluded.album, album_artist=excluded.album_artist,
        album_id=excluded.album_id, artist_id=excluded.artist_id,
        album_artist_id=excluded.album_artist_id, track_no=excluded.track_no,
        track_total=excluded.track_total, disc_no=excluded.disc_no,
        disc_total=excluded.disc_total, year=excluded.year, genre=excluded.genre,
        duration_ms=excluded.duration_ms, sample_rate=excluded.sample_rate,
        channels=excluded.channels, bitrate=excluded.bitrate, codec=excluded.codec,
        rg_track_gain=excluded.rg_track_gain, rg_track_peak=excluded.rg_track_peak,
        rg_album_gain=excluded.rg_album_gain, rg_album_peak=excluded.rg_album_peak,
        mb_recording=excluded.mb_recording, mb_release_track=excluded.mb_release_track,
        mb_release=excluded.mb_release, mb_artist=excluded.mb_artist,
        mb_release_artist=excluded.mb_release_artist, lyrics=excluded.lyrics,
        artwork_id=excluded.artwork_id, sort_key=excluded.sort_key,
        mixramp_start=excluded.mixramp_start, mixramp_end=excluded.mixramp_end,
        bits=excluded.bits, date=excluded.date""";

  /**
   * Full-text rows of tracks about to be replaced, taken out with the values they were indexed
   * with.
   */
  private static final String FTS_DELETE =
      "INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, genre)"
          + " SELECT 'delete', num, title, artist, album, genre FROM tracks WHERE path IN (";

  /** Full-text rows of tracks just written. */
  private static final String FTS_INSERT =
      "INSERT INTO tracks_fts(rowid, title, artist, album, genre)"
          + " SELECT num, title, artist, album, genre FROM tracks WHERE path IN (";

  /** Most paths one full-text statement binds (SQLite allows 32,766). */
  static final int PATHS_PER_FTS_STATEMENT = 500;

  /**
   * Inserts or replaces a batch of tracks with their albums and artists, and their full-text rows.
   * The full-text rows are written here, a batch per statement, not by a trigger per row (schema
   * migration 9): FTS5 writes its pending terms out at every statement's savepoint, so a trigger
   * run per row wrote one index segment per track, two thirds of SQLite's work in a cold scan
   * (issue 13).
   */
  static void upsert(Connection c, List<StoredTrack> tracks) throws SQLException {
    fullText(c, FTS_DELETE, tracks);
    upsertRows(c, tracks);
    fullText(c, FTS_INSERT, tracks);
  }

  private static void fullText(Connection c, String sql, List<StoredTrack> tracks)
      throws SQLException {
    for (int from = 0; from < tracks.size(); from += PATHS_PER_FTS_STATEMENT) {
      List<StoredTrack> part =
          tracks.subList(from, Math.min(tracks.size(), from + PATHS_PER_FTS_STATEMENT));
      String marks = "?,".repeat(part.size());
      try (PreparedStatement ps =
          c.prepareStatement(sql + marks.substring(0, marks.length() - 1) + ")")) {
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 1, part.get(i).path());
        }
        ps.executeUpdate();
      }
    }
  }

  private static void upsertRows(Connection c, List<StoredTrack> tracks) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT);
        PreparedStatement album =
            c.prepareStatement(
                """
                INSERT INTO albums(id, title, artist, artist_id, year, sort_key, artwork_id)
                VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET
                  artwork_id = COALESCE(albums.artwork_id, excluded.artwork_id),
                  year = CASE WHEN albums.year = 0 THEN excluded.year ELSE albums.year END""");
        PreparedStatement artist =
            c.prepareStatement("INSERT OR IGNORE INTO artists(id, name, sort_key) VALUES (?,?,?)");
        PreparedStatement clearError =
            c.prepareStatement("DELETE FROM file_errors WHERE path = ?")) {
      for (StoredTrack s : tracks) {
        TrackTags t = s.tags();
        int i = 1;
        ps.setString(i++, s.id());
        ps.setString(i++, s.folderId());
        ps.setString(i++, s.path());
        ps.setString(i++, s.relPath());
        ps.setLong(i++, s.size());
        ps.setLong(i++, s.mtimeMs());
        ps.setString(i++, t.title());
        ps.setString(i++, t.artist());
        ps.setString(i++, t.album());
        ps.setString(i++, t.albumArtist());
        ps.setString(i++, s.albumId());
        ps.setString(i++, s.artistId());
        ps.setString(i++, s.albumArtistId());
        ps.setInt(i++, t.trackNumber());
        ps.setInt(i++, t.trackTotal());
        ps.setInt(i++, t.discNumber());
        ps.setInt(i++, t.discTotal());
        ps.setInt(i++, t.year());
        ps.setString(i++, t.genre());
        ps.setLong(i++, t.durationMs());
        ps.setInt(i++, t.sampleRate());
        ps.setInt(i++, t.channels());
        ps.setInt(i++, t.bitRateKbps());
        ps.setString(i++, t.codec());
        i = real(ps, i, t.trackGainDb());
        i = real(ps, i, t.trackPeak());
        i = real(ps, i, t.albumGainDb());
        i = real(ps, i, t.albumPeak());
        ps.setString(i++, t.mbRecordingId());
        ps.setString(i++, t.mbReleaseTrackId());
        ps.setString(i++, t.mbReleaseId());
        ps.setString(i++, t.mbArtistId());
        ps.setString(i++, t.mbReleaseArtistId());
        ps.setString(i++, t.lyrics());
        ps.setString(i++, s.artworkId());
        ps.setString(i++, s.sortKey());
        ps.setString(i++, t.mixrampStart());
        ps.setString(i++, t.mixrampEnd());
        ps.setInt(i++, t.bitsPerSample());
        ps.setString(i, t.date());
        ps.addBatch();

        String albumArtist = s.albumArtistName();
        album.setString(1, s.albumId());
        album.setString(2, t.album());
        album.setString(3, albumArtist);
        album.setString(4, s.albumArtistId());
        album.setInt(5, t.year());
        album.setString(6, Ids.normalize(t.album()) + '\u0001' + Ids.normalize(albumArtist));
        album.setString(7, s.artworkId());
        album.addBatch();
        addArtist(artist, s.artistId(), t.artist());
        addArtist(artist, s.albumArtistId(), albumArtist);
        clearError.setString(1, s.path());
        clearError.addBatch();
      }
      ps.executeBatch();
      album.executeBatch();
      artist.executeBatch();
      clearError.executeBatch();
    }
  }

  private static void addArtist(PreparedStatement ps, String id, String name) throws SQLException {
    if (!id.isEmpty()) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setString(3, Ids.normalize(name));
      ps.addBatch();
    }
  }

  private static int real(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v)) {
      ps.setNull(i, Types.REAL);
    } else {
      ps.setDouble(i, v);
    }
    return i + 1;
  }

  /** Records a file that cannot be read; a track it used to be is removed (its id returned). */
  static String recordError(
      Connection c,
      String folderId,
      String path,
      String relPath,
      long size,
      long mtime,
      String error)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO file_errors(path, folder_id, rel_path, size, mtime_ms, error)"
                + " VALUES (?,?,?,?,?,?)")) {
      ps.setString(1, path);
      ps.setString(2, folderId);
      ps.setString(3, relPath);
      ps.setLong(4, size);
      ps.setLong(5, mtime);
      ps.setString(6, error);
      ps.executeUpdate();
    }
    String removed = null;
    try (PreparedStatement find = c.prepareStatement("SELECT id FROM tracks WHERE path = ?")) {
      find.setString(1, path);
      try (ResultSet rs = find.executeQuery()) {
        removed = rs.next() ? rs.getString(1) : null;
      }
    }
    if (removed != null) {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM tracks WHERE path = ?")) {
        del.setString(1, path);
        del.executeUpdate();
      }
    }
    return removed;
  }

  /** Deletes the tracks and error records of these real paths; returns the removed track ids. */
  static List<String> deletePaths(Connection c, List<String> paths) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement find = c.prepareStatement("SELECT id FROM tracks WHERE path = ?");
        PreparedStatement del = c.prepareStatement("DELETE FROM tracks WHERE path = ?");
        PreparedStatement err = c.prepareStatement("DELETE FROM file_errors WHERE path = ?")) {
      for (String p : paths) {
        find.setString(1, p);
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        del.setString(1, p);
        del.addBatch();
        err.setString(1, p);
        err.addBatch();
      }
      del.executeBatch();
      err.executeBatch();
    }
    return ids;
  }

  /**
   * Drops albums and artists without tracks, re-points album artwork, and drops artwork rows no
   * track or album uses. Returns the ids of the artwork rows dropped (their files go after commit).
   */
  static List<String> removeOrphans(Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.executeUpdate(
          "DELETE FROM albums WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = albums.id)");
      st.executeUpdate(
          "DELETE FROM artists WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.artist_id ="
              + " artists.id) AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_artist_id ="
              + " artists.id)");
      st.executeUpdate(
          "UPDATE albums SET artwork_id = (SELECT t.artwork_id FROM tracks t WHERE t.album_id ="
              + " albums.id AND t.artwork_id IS NOT NULL ORDER BY t.sort_key LIMIT 1) WHERE"
              + " artwork_id IS NULL OR NOT EXISTS (SELECT 1 FROM tracks t WHERE t.artwork_id ="
              + " albums.artwork_id)");
      List<String> gone = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT id FROM artwork WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.artwork_id"
                  + " = artwork.id)")) {
        while (rs.next()) {
          gone.add(rs.getString(1));
        }
      }
      st.executeUpdate(
          "DELETE FROM artwork WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.artwork_id ="
              + " artwork.id)");
      return gone;
    }
  }

  /** Registers cached artwork; true when it is new. */
  static boolean addArtwork(Connection c, String id, String mime, long size) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT OR IGNORE INTO artwork(id, mime, size) VALUES (?,?,?)")) {
      ps.setString(1, id);
      ps.setString(2, mime);
      ps.setLong(3, size);
      return ps.executeUpdate() == 1;
    }
  }
}
