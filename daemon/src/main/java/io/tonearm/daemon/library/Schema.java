package io.tonearm.daemon.library;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database schema as numbered migrations. {@code PRAGMA user_version} holds the number of
 * migrations applied; each migration runs in its own transaction, so a crash leaves the database at
 * a whole version. Never edit a released migration: append a new one.
 */
final class Schema {
  private Schema() {}

  private static final String[][] MIGRATIONS = {
    {
      // 1: folders, tracks with full-text search, albums, artists, artwork, file errors.
      """
      CREATE TABLE folders(
        id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, added_ms INTEGER NOT NULL,
        available INTEGER NOT NULL DEFAULT 1)""",
      """
      CREATE TABLE tracks(
        num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, folder_id TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE, rel_path TEXT NOT NULL, size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL, title TEXT NOT NULL, artist TEXT NOT NULL, album TEXT NOT NULL,
        album_artist TEXT NOT NULL, album_id TEXT NOT NULL, artist_id TEXT NOT NULL,
        album_artist_id TEXT NOT NULL, track_no INTEGER NOT NULL, track_total INTEGER NOT NULL,
        disc_no INTEGER NOT NULL, disc_total INTEGER NOT NULL, year INTEGER NOT NULL,
        genre TEXT NOT NULL, duration_ms INTEGER NOT NULL, sample_rate INTEGER NOT NULL,
        channels INTEGER NOT NULL, bitrate INTEGER NOT NULL, codec TEXT NOT NULL,
        rg_track_gain REAL, rg_track_peak REAL, rg_album_gain REAL, rg_album_peak REAL,
        mb_recording TEXT NOT NULL, mb_release_track TEXT NOT NULL, mb_release TEXT NOT NULL,
        mb_artist TEXT NOT NULL, mb_release_artist TEXT NOT NULL, lyrics TEXT NOT NULL,
        artwork_id TEXT, sort_key TEXT NOT NULL)""",
      "CREATE INDEX tracks_sort ON tracks(sort_key, id)",
      "CREATE INDEX tracks_album ON tracks(album_id, sort_key, id)",
      "CREATE INDEX tracks_artist ON tracks(artist_id, sort_key, id)",
      "CREATE INDEX tracks_album_artist ON tracks(album_artist_id)",
      "CREATE INDEX tracks_genre ON tracks(genre, sort_key, id)",
      "CREATE INDEX tracks_folder ON tracks(folder_id, rel_path)",
      "CREATE INDEX tracks_artwork ON tracks(artwork_id)",
      """
      CREATE VIRTUAL TABLE tracks_fts USING fts5(title, artist, album, genre,
        content='tracks', content_rowid='num', tokenize='unicode61 remove_diacritics 2')""",
      """
      CREATE TRIGGER tracks_ai AFTER INSERT ON tracks BEGIN
        INSERT INTO tracks_fts(rowid, title, artist, album, genre)
        VALUES (new.num, new.title, new.artist, new.album, new.genre); END""",
      """
      CREATE TRIGGER tracks_ad AFTER DELETE ON tracks BEGIN
        INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, genre)
        VALUES ('delete', old.num, old.title, old.artist, old.album, old.genre); END""",
      """
      CREATE TRIGGER tracks_au AFTER UPDATE ON tracks BEGIN
        INSERT INTO tracks_fts(tracks_fts, rowid, title, artist, album, genre)
        VALUES ('delete', old.num, old.title, old.artist, old.album, old.genre);
        INSERT INTO tracks_fts(rowid, title, artist, album, genre)
        VALUES (new.num, new.title, new.artist, new.album, new.genre); END""",
      """
      CREATE TABLE albums(id TEXT PRIMARY KEY, title TEXT NOT NULL, artist TEXT NOT NULL,
        artist_id TEXT NOT NULL, year INTEGER NOT NULL, sort_key TEXT NOT NULL, artwork_id TEXT)""",
      "CREATE INDEX albums_sort ON albums(sort_key, id)",
      "CREATE INDEX albums_artist ON albums(artist_id)",
      "CREATE TABLE artists(id TEXT PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL)",
      "CREATE INDEX artists_sort ON artists(sort_key, id)",
      """
      CREATE TABLE file_errors(path TEXT PRIMARY KEY, folder_id TEXT NOT NULL,
        rel_path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL,
        error TEXT NOT NULL)""",
      "CREATE INDEX file_errors_folder ON file_errors(folder_id, rel_path)",
      "CREATE TABLE artwork(id TEXT PRIMARY KEY, mime TEXT NOT NULL, size INTEGER NOT NULL)",
      """
      CREATE TABLE playlists(id TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL)""",
      """
      CREATE TABLE playlist_items(playlist_id TEXT NOT NULL, pos INTEGER NOT NULL,
        item_id TEXT NOT NULL, track_id TEXT NOT NULL, PRIMARY KEY(playlist_id, pos))
        WITHOUT ROWID""",
      "CREATE UNIQUE INDEX playlist_items_id ON playlist_items(playlist_id, item_id)",
    },
    {
      // 2: faster search: prefix indexes, weighted rank as the default, exact-title index.
      "DROP TABLE tracks_fts",
      """
      CREATE VIRTUAL TABLE tracks_fts USING fts5(title, artist, album, genre,
        content='tracks', content_rowid='num', tokenize='unicode61 remove_diacritics 2',
        prefix='2 3')""",
      "INSERT INTO tracks_fts(tracks_fts) VALUES ('rebuild')",
      "INSERT INTO tracks_fts(tracks_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0)')",
      "CREATE INDEX tracks_title ON tracks(title COLLATE NOCASE)",
    },
    {
      // 3: measured loudness (analysis jobs), valid while the file keeps its size and mtime.
      """
      CREATE TABLE loudness(track_id TEXT PRIMARY KEY, size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL, integrated_lufs REAL NOT NULL, lra_lu REAL NOT NULL,
        true_peak_dbtp REAL NOT NULL, track_gain_db REAL NOT NULL, track_peak REAL NOT NULL,
        album_gain_db REAL, album_peak REAL, analyzed_ms INTEGER NOT NULL)""",
    },
    {
      // 4: the lyrics offset set per track over the API (ms; positive shows lyrics later).
      "CREATE TABLE lyrics_offsets(track_id TEXT PRIMARY KEY, offset_ms INTEGER NOT NULL)",
    },
    {
      // 5: MixRamp tags ("dB seconds;..." pairs as MPD reads them), for crossfades. Files are
      // read again only when they change, so tracks scanned before keep "" until then.
      "ALTER TABLE tracks ADD COLUMN mixramp_start TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE tracks ADD COLUMN mixramp_end TEXT NOT NULL DEFAULT ''",
    },
    {
      // 6: MixRamp values measured by the loudness job (the tags' form), used where a track has
      // no MixRamp tags; rows measured before stay "" until measured again.
      "ALTER TABLE loudness ADD COLUMN mixramp_start TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE loudness ADD COLUMN mixramp_end TEXT NOT NULL DEFAULT ''",
    },
    {
      // 7: the source bit depth of lossless files and the date tag as written. Every file is read
      // again at the next scan (a stored mtime of -1 matches no file) so these are filled in.
      "ALTER TABLE tracks ADD COLUMN bits INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE tracks ADD COLUMN date TEXT NOT NULL DEFAULT ''",
      "UPDATE tracks SET mtime_ms = -1",
    },
    {
      // 8: MPD's stickers: name=value pairs a client attaches to a song URI (the path within the
      // music folders, as MPD's protocol names songs). Kept by URI, so they outlive a rescan and
      // come back with a file that returns, as MPD's sticker database does.
      """
      CREATE TABLE stickers(type TEXT NOT NULL, uri TEXT NOT NULL, name TEXT NOT NULL,
        value TEXT NOT NULL, PRIMARY KEY(type, uri, name)) WITHOUT ROWID""",
      "CREATE INDEX stickers_name ON stickers(type, name, uri)",
    },
    {
      // 9: a track's full-text row is written by TrackWriter.upsert, a batch per statement, not by
      // a trigger per row: FTS5 writes its pending terms out at each statement's savepoint, so the
      // triggers wrote an index segment per track (issue 13: two thirds of a cold scan's SQLite
      // work). Deletes keep their trigger.
      "DROP TRIGGER tracks_ai", "DROP TRIGGER tracks_au",
    },
  };

  /** The schema version this code writes. */
  static int latest() {
    return MIGRATIONS.length;
  }

  /** Applies the migrations {@code conn} lacks; refuses a database newer than this code. */
  static void migrate(Connection conn) throws SQLException {
    migrate(conn, MIGRATIONS.length);
  }

  /**
   * Applies the migrations {@code conn} lacks up to version {@code target} (tests: old schemas).
   */
  static void migrate(Connection conn, int target) throws SQLException {
    int version;
    try (Statement st = conn.createStatement();
        var rs = st.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > MIGRATIONS.length) {
      throw new SQLException(
          "database schema version " + version + " is newer than this daemon's " + latest());
    }
    boolean auto = conn.getAutoCommit();
    conn.setAutoCommit(false);
    try {
      for (int v = version; v < target; v++) {
        try (Statement st = conn.createStatement()) {
          for (String sql : MIGRATIONS[v]) {
            st.execute(sql);
          }
          st.execute("PRAGMA user_version = " + (v + 1));
        }
        conn.commit();
      }
    } catch (SQLException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(auto);
    }
  }
}
