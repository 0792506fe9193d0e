package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
  @TempDir Path tmp;

  /**
   * A row in the columns of schema 1 (later columns have defaults), indexed by the old triggers.
   */
  private static void insertOldRow(Statement st, int n, String title) throws SQLException {
    st.execute(
        "INSERT INTO tracks(id, folder_id, path, rel_path, size, mtime_ms, title, artist, album,"
            + " album_artist, album_id, artist_id, album_artist_id, track_no, track_total, disc_no,"
            + " disc_total, year, genre, duration_ms, sample_rate, channels, bitrate, codec,"
            + " mb_recording, mb_release_track, mb_release, mb_artist, mb_release_artist, lyrics,"
            + " sort_key) VALUES ('"
            + Ids.ofPath("/m/old" + n + ".flac")
            + "', 'f', '/m/old"
            + n
            + ".flac', 'old"
            + n
            + ".flac', 1, 1, '"
            + title
            + "', 'Someone', 'Album', '', 'a', 'b', 'b', 1, 0, 0, 0, 2000, 'Rock', 1000, 44100, 2,"
            + " 900, 'flac', '', '', '', '', '', '', 'k"
            + n
            + "')");
  }

  private static StoredTrack track(String path, String title) {
    TrackTags t =
        new TrackTags(
            title,
            "Someone",
            "Album",
            "",
            1,
            0,
            0,
            0,
            2000,
            "Rock",
            1000,
            44100,
            2,
            900,
            "flac",
            16,
            "2000",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            null);
    return StoredTrack.of("f", path, path.substring(3), 2, 2, t, null);
  }

  private static List<String> matching(Connection c, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (var ps =
        c.prepareStatement(
            "SELECT t.path FROM tracks_fts f JOIN tracks t ON t.num = f.rowid"
                + " WHERE tracks_fts MATCH ? ORDER BY t.path")) {
      ps.setString(1, query);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void everyEarlierSchemaMigratesToAFullTextIndexThatFollowsTheScansWrites() throws Exception {
    for (int v = 1; v < Schema.latest(); v++) {
      Path dir = Files.createDirectories(tmp.resolve("v" + v));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("library.db"));
          Statement st = c.createStatement()) {
        Schema.migrate(c, v);
        insertOldRow(st, 1, "Old One");
        insertOldRow(st, 2, "Old Two");
      }
      try (LibraryDb db = new LibraryDb(dir)) {
        String at = "from schema " + v;
        List<List<String>> found =
            db.write(
                c -> {
                  TrackWriter.upsert(
                      c,
                      List.of(
                          track("/m/old1.flac", "Retitled Song"),
                          track("/m/new.flac", "Brand New")));
                  TrackWriter.deletePaths(c, List.of("/m/old2.flac"));
                  try (Statement st = c.createStatement()) {
                    // Checks the index against the tracks table: fails on a row indexed with
                    // other values than the table holds, or a row missing from either side.
                    st.execute(
                        "INSERT INTO tracks_fts(tracks_fts, rank) VALUES ('integrity-check', 1)");
                    try (var rs = st.executeQuery("PRAGMA user_version")) {
                      assertEquals(Schema.latest(), rs.getInt(1), at);
                    }
                  }
                  List<List<String>> out = new ArrayList<>();
                  for (String q : new String[] {"old", "two", "ret*", "song", "bra*", "new"}) {
                    out.add(matching(c, q));
                  }
                  return out;
                });
        assertEquals(
            List.of(
                List.of(),
                List.of(),
                List.of("/m/old1.flac"),
                List.of("/m/old1.flac"),
                List.of("/m/new.flac"),
                List.of("/m/new.flac")),
            found,
            at);
      }
    }
  }
}
