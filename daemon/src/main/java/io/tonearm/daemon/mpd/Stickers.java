package io.tonearm.daemon.mpd;

import io.tonearm.daemon.library.Library;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * MPD's song stickers in the library database (table {@code stickers}, schema 8): name=value pairs
 * per song URI, written in one transaction each (so a crash keeps a whole sticker or none). Every
 * call completes on a library reader thread.
 *
 * <p>Bounds: at most {@value #MAX_PER_SONG} stickers per song (MPD has none; past it {@code set} of
 * a new name is refused); a name or value is bounded by the request line (8 KiB).
 */
final class Stickers {

  static final int MAX_PER_SONG = 256;

  private static final String SONG = "song";

  /** A sticker as {@code list} and {@code find} print it. */
  record Sticker(String uri, String name, String value) {}

  /** The operators {@code sticker find ... NAME OP VALUE} takes (MPD 0.23: =, <, >). */
  enum Op {
    EXISTS(""),
    EQUALS(" AND value = ?"),
    LESS(" AND value < ?"),
    GREATER(" AND value > ?");

    final String sql;

    Op(String sql) {
      this.sql = sql;
    }
  }

  private final Library library;

  Stickers(Library library) {
    this.library = library;
  }

  CompletionStage<Optional<String>> get(String uri, String name) {
    return library.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT value FROM stickers WHERE type = ? AND uri = ? AND name = ?")) {
            ps.setString(1, SONG);
            ps.setString(2, uri);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** The song's stickers in name order. */
  CompletionStage<List<Sticker>> list(String uri) {
    return library.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, value FROM stickers WHERE type = ? AND uri = ? ORDER BY name")) {
            ps.setString(1, SONG);
            ps.setString(2, uri);
            List<Sticker> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Sticker(uri, rs.getString(1), rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  /**
   * Sets (adds or replaces) one sticker.
   *
   * @return false, writing nothing, when the name is new and the song has {@value #MAX_PER_SONG}
   */
  CompletionStage<Boolean> set(String uri, String name, String value) {
    return library.write(
        c -> {
          if (full(c, uri, name)) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO stickers(type, uri, name, value) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT(type, uri, name) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, SONG);
            ps.setString(2, uri);
            ps.setString(3, name);
            ps.setString(4, value);
            ps.executeUpdate();
          }
          return true;
        });
  }

  /**
   * Deletes one sticker, or every sticker of the song when {@code name} is null.
   *
   * @return false when there was nothing to delete
   */
  CompletionStage<Boolean> delete(String uri, String name) {
    return library.write(
        c -> {
          String sql = "DELETE FROM stickers WHERE type = ? AND uri = ?";
          try (PreparedStatement ps =
              c.prepareStatement(name == null ? sql : sql + " AND name = ?")) {
            ps.setString(1, SONG);
            ps.setString(2, uri);
            if (name != null) {
              ps.setString(3, name);
            }
            return ps.executeUpdate() > 0;
          }
        });
  }

  /**
   * Stickers named {@code name} on songs below the directory {@code base} ("" for all), by URI,
   * whose value compares to {@code value} by {@code op} (SQLite's text order, bytes of UTF-8, as
   * MPD's SQL compares them).
   */
  CompletionStage<List<Sticker>> find(String base, String name, Op op, String value) {
    String prefix = base.isEmpty() ? "" : base + "/";
    return library.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT uri, value FROM stickers WHERE type = ? AND name = ?"
                      + " AND substr(uri, 1, ?) = ?"
                      + op.sql
                      + " ORDER BY uri")) {
            ps.setString(1, SONG);
            ps.setString(2, name);
            ps.setInt(3, prefix.length());
            ps.setString(4, prefix);
            if (op != Op.EXISTS) {
              ps.setString(5, value);
            }
            List<Sticker> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Sticker(rs.getString(1), name, rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  /** True when the song has {@value #MAX_PER_SONG} stickers and none named {@code name}. */
  private static boolean full(Connection c, String uri, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*), count(CASE WHEN name = ? THEN 1 END) FROM stickers"
                + " WHERE type = ? AND uri = ?")) {
      ps.setString(1, name);
      ps.setString(2, SONG);
      ps.setString(3, uri);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) >= MAX_PER_SONG && rs.getInt(2) == 0;
      }
    }
  }
}
