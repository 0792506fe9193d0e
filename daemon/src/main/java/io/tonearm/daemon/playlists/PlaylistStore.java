package io.tonearm.daemon.playlists;

import io.tonearm.proto.v1.PlaylistSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Playlist rows. A playlist's items are rewritten whole on each change (at most {@link
 * Playlists#MAX_ITEMS} rows), which keeps positions dense without renumbering tricks.
 */
final class PlaylistStore {
  private PlaylistStore() {}

  /** One entry: its own id and the track it names. */
  record Item(String itemId, String trackId) {}

  static Optional<PlaylistSummary> summary(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT p.id, p.name, p.created_ms, p.modified_ms, (SELECT count(*) FROM playlist_items"
                + " i WHERE i.playlist_id = p.id) FROM playlists p WHERE p.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(summary(rs)) : Optional.empty();
      }
    }
  }

  static List<PlaylistSummary> all(Connection c) throws SQLException {
    List<PlaylistSummary> out = new ArrayList<>();
    try (var st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT p.id, p.name, p.created_ms, p.modified_ms, (SELECT count(*) FROM"
                    + " playlist_items i WHERE i.playlist_id = p.id) FROM playlists p ORDER BY"
                    + " p.name COLLATE NOCASE, p.id")) {
      while (rs.next()) {
        out.add(summary(rs));
      }
    }
    return out;
  }

  private static PlaylistSummary summary(ResultSet rs) throws SQLException {
    return PlaylistSummary.newBuilder()
        .setId(rs.getString(1))
        .setName(rs.getString(2))
        .setCreatedMs(rs.getLong(3))
        .setModifiedMs(rs.getLong(4))
        .setItemCount(rs.getInt(5))
        .build();
  }

  static List<Item> items(Connection c, String id) throws SQLException {
    List<Item> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT item_id, track_id FROM playlist_items WHERE playlist_id = ? ORDER BY pos")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Item(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  static void create(Connection c, String id, String name, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO playlists(id, name, created_ms, modified_ms) VALUES (?,?,?,?)")) {
      ps.setString(1, id);
      ps.setString(2, name);
      ps.setLong(3, now);
      ps.setLong(4, now);
      ps.executeUpdate();
    }
  }

  static void rename(Connection c, String id, String name, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE playlists SET name = ?, modified_ms = ? WHERE id = ?")) {
      ps.setString(1, name);
      ps.setLong(2, now);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  static void delete(Connection c, String id) throws SQLException {
    for (String sql :
        new String[] {
          "DELETE FROM playlist_items WHERE playlist_id = ?", "DELETE FROM playlists WHERE id = ?"
        }) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    }
  }

  /** Replaces the playlist's items with {@code items}, in order. */
  static void setItems(Connection c, String id, List<Item> items, long now) throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM playlist_items WHERE playlist_id = ?")) {
      del.setString(1, id);
      del.executeUpdate();
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO playlist_items(playlist_id, pos, item_id, track_id) VALUES (?,?,?,?)")) {
      for (int i = 0; i < items.size(); i++) {
        ins.setString(1, id);
        ins.setInt(2, i);
        ins.setString(3, items.get(i).itemId());
        ins.setString(4, items.get(i).trackId());
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE playlists SET modified_ms = ? WHERE id = ?")) {
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }
}
