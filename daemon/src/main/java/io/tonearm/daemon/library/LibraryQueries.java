package io.tonearm.daemon.library;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.Album;
import io.tonearm.proto.v1.AlbumList;
import io.tonearm.proto.v1.Artist;
import io.tonearm.proto.v1.ArtistList;
import io.tonearm.proto.v1.FileError;
import io.tonearm.proto.v1.FileErrorList;
import io.tonearm.proto.v1.Genre;
import io.tonearm.proto.v1.GenreList;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Page;
import io.tonearm.proto.v1.TrackList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The library's read queries: keyset-paged lists (fetch one row more than the page to know whether
 * another page follows), track lookups and full-text search. Each runs on a reader connection.
 */
final class LibraryQueries {
  /** Largest page. */
  static final int MAX_PAGE = 500;

  /** Largest number of search results. */
  static final int MAX_SEARCH = 200;

  /** Longest search query, in chars. */
  static final int MAX_QUERY = 200;

  private static final String MAX_CHAR = "\uDBFF\uDFFF";

  /** FTS5 column filters of the search tiers, best first; "" is every column. */
  private static final String[] TIERS = {"{title}", "{artist}", "{album}", ""};

  private LibraryQueries() {}

  /** Filters of the track list; null fields do not filter. */
  record TrackFilter(String albumId, String artistId, String genre, String folderId, String dir) {}

  static TrackList tracks(Connection c, TrackFilter f, Cursor cur, int limit) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE 1=1");
    String key = "t.sort_key";
    if (f.albumId() != null) {
      where.append(" AND t.album_id = ?");
      args.add(f.albumId());
    }
    if (f.artistId() != null) {
      where.append(" AND t.artist_id = ?");
      args.add(f.artistId());
    }
    if (f.genre() != null) {
      where.append(" AND t.genre = ?");
      args.add(f.genre());
    }
    if (f.folderId() != null) {
      key = "t.rel_path";
      where.append(" AND t.folder_id = ?");
      args.add(f.folderId());
      if (f.dir() != null && !f.dir().isEmpty()) {
        String prefix = f.dir().endsWith("/") ? f.dir() : f.dir() + "/";
        where.append(" AND t.rel_path >= ? AND t.rel_path < ?");
        args.add(prefix);
        args.add(prefix + MAX_CHAR);
      }
    }
    where.append(" AND (").append(key).append(", t.id) > (?, ?)");
    args.add(cur.sortKey());
    args.add(cur.id());
    String sql =
        "SELECT "
            + LibraryProtos.TRACK_COLUMNS
            + " FROM tracks t"
            + where
            + " ORDER BY "
            + key
            + ", t.id LIMIT ?";
    args.add(limit + 1);
    TrackList.Builder out = TrackList.newBuilder();
    String last = null;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.getTracksCount() == limit) {
            LibraryTrack prev = out.getTracks(limit - 1);
            String k = key.equals("t.rel_path") ? prev.getPath() : last;
            out.setPage(Page.newBuilder().setNextCursor(new Cursor(k, prev.getId()).encode()));
            break;
          }
          out.addTracks(LibraryProtos.track(rs));
          last = rs.getString(37); // t.sort_key
        }
      }
    }
    return out.build();
  }

  static Optional<LibraryTrack> track(Connection c, String id, boolean lyrics) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + LibraryProtos.TRACK_COLUMNS + ", t.lyrics FROM tracks t WHERE t.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        LibraryTrack t = LibraryProtos.track(rs);
        return Optional.of(lyrics ? t.toBuilder().setLyrics(rs.getString(38)).build() : t);
      }
    }
  }

  static AlbumList albums(Connection c, String artistId, Cursor cur, int limit)
      throws SQLException {
    String sql =
        "SELECT a.id, a.title, a.artist, a.artist_id, a.year, a.artwork_id, a.sort_key,"
            + " (SELECT count(*) FROM tracks t WHERE t.album_id = a.id),"
            + " (SELECT coalesce(sum(duration_ms), 0) FROM tracks t WHERE t.album_id = a.id)"
            + " FROM albums a WHERE (a.sort_key, a.id) > (?, ?)"
            + (artistId != null ? " AND a.artist_id = ?" : "")
            + " ORDER BY a.sort_key, a.id LIMIT ?";
    AlbumList.Builder out = AlbumList.newBuilder();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, cur.sortKey());
      ps.setString(i++, cur.id());
      if (artistId != null) {
        ps.setString(i++, artistId);
      }
      ps.setInt(i, limit + 1);
      String lastKey = null;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.getAlbumsCount() == limit) {
            out.setPage(page(lastKey, out.getAlbums(limit - 1).getId()));
            break;
          }
          String art = rs.getString(6);
          out.addAlbums(
              Album.newBuilder()
                  .setId(rs.getString(1))
                  .setTitle(rs.getString(2))
                  .setArtist(rs.getString(3))
                  .setArtistId(rs.getString(4))
                  .setYear(rs.getInt(5))
                  .setArtworkId(art == null ? "" : art)
                  .setTrackCount(rs.getInt(8))
                  .setDurationMs(rs.getLong(9)));
          lastKey = rs.getString(7);
        }
      }
    }
    return out.build();
  }

  static ArtistList artists(Connection c, Cursor cur, int limit) throws SQLException {
    String sql =
        "SELECT r.id, r.name, r.sort_key,"
            + " (SELECT count(*) FROM tracks t WHERE t.artist_id = r.id),"
            + " (SELECT count(*) FROM albums a WHERE a.artist_id = r.id)"
            + " FROM artists r WHERE (r.sort_key, r.id) > (?, ?) ORDER BY r.sort_key, r.id LIMIT ?";
    ArtistList.Builder out = ArtistList.newBuilder();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cur.sortKey());
      ps.setString(2, cur.id());
      ps.setInt(3, limit + 1);
      String lastKey = null;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.getArtistsCount() == limit) {
            out.setPage(page(lastKey, out.getArtists(limit - 1).getId()));
            break;
          }
          out.addArtists(
              Artist.newBuilder()
                  .setId(rs.getString(1))
                  .setName(rs.getString(2))
                  .setTrackCount(rs.getInt(4))
                  .setAlbumCount(rs.getInt(5)));
          lastKey = rs.getString(3);
        }
      }
    }
    return out.build();
  }

  static GenreList genres(Connection c, Cursor cur, int limit) throws SQLException {
    GenreList.Builder out = GenreList.newBuilder();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT genre, count(*) FROM tracks WHERE genre <> '' AND genre > ? GROUP BY genre"
                + " ORDER BY genre LIMIT ?")) {
      ps.setString(1, cur.sortKey());
      ps.setInt(2, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.getGenresCount() == limit) {
            out.setPage(page(out.getGenres(limit - 1).getName(), ""));
            break;
          }
          out.addGenres(Genre.newBuilder().setName(rs.getString(1)).setTrackCount(rs.getInt(2)));
        }
      }
    }
    return out.build();
  }

  static FileErrorList errors(Connection c, Cursor cur, int limit) throws SQLException {
    FileErrorList.Builder out = FileErrorList.newBuilder();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT folder_id, rel_path, error, path FROM file_errors WHERE path > ? ORDER BY path"
                + " LIMIT ?")) {
      ps.setString(1, cur.sortKey());
      ps.setInt(2, limit + 1);
      String last = null;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (out.getErrorsCount() == limit) {
            out.setPage(page(last, ""));
            break;
          }
          out.addErrors(
              FileError.newBuilder()
                  .setFolderId(rs.getString(1))
                  .setPath(rs.getString(2))
                  .setError(rs.getString(3)));
          last = rs.getString(4);
        }
      }
    }
    return out.build();
  }

  /**
   * Full-text search over title, artist, album and genre. Every word of {@code q} must match as a
   * word prefix. Ranked: exact title (case-insensitive) first, then all words in the title, in the
   * artist, in the album, then anywhere; within a tier in storage order.
   */
  static TrackList search(Connection c, String q, int limit) throws SQLException {
    String match = ftsQuery(q);
    // Tiers, each a query that stops after `limit` rows, instead of ranking every match (bm25
    // over 10,000 matches costs tens of ms): exact titles by index, then matches in the title,
    // in the artist, in the album, anywhere (words spread over columns, genre).
    java.util.LinkedHashSet<Long> nums = new java.util.LinkedHashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT num FROM tracks WHERE title = ? COLLATE NOCASE ORDER BY sort_key LIMIT ?")) {
      ps.setString(1, q.strip());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          nums.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ? LIMIT ?")) {
      for (String columns : TIERS) {
        if (nums.size() >= limit) {
          break;
        }
        ps.setString(1, columns.isEmpty() ? match : columns + " : (" + match + ")");
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next() && nums.size() < limit) {
            nums.add(rs.getLong(1));
          }
        }
      }
    }
    TrackList.Builder out = TrackList.newBuilder();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + LibraryProtos.TRACK_COLUMNS + " FROM tracks t WHERE t.num = ?")) {
      for (long num : nums) {
        ps.setLong(1, num);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.addTracks(LibraryProtos.track(rs));
          }
        }
      }
    }
    return out.setPage(Page.getDefaultInstance()).build();
  }

  /** Each word as a quoted prefix term, so user input can never be FTS5 syntax. */
  static String ftsQuery(String q) {
    if (q == null || q.isBlank()) {
      throw DomainException.badRequest("q must not be empty");
    }
    if (q.length() > MAX_QUERY) {
      throw DomainException.outOfRange("q length", q.length(), "1 to " + MAX_QUERY);
    }
    StringBuilder b = new StringBuilder();
    for (String word : q.split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        b.append(b.length() == 0 ? "" : " ").append('"').append(word).append("\"*");
      }
    }
    if (b.length() == 0) {
      throw DomainException.badRequest("q has no letters or digits");
    }
    return b.toString();
  }

  /** Most subdirectories listed by {@link #directory}. */
  static final int MAX_DIRS = 10_000;

  /** The subdirectories (holding tracks) and direct track count of one folder directory. */
  static io.tonearm.proto.v1.DirectoryList directory(Connection c, String folderId, String dir)
      throws SQLException {
    String prefix = dir.isEmpty() ? "" : dir.endsWith("/") ? dir : dir + "/";
    java.util.TreeSet<String> dirs = new java.util.TreeSet<>();
    int direct = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT rel_path FROM tracks WHERE folder_id = ? AND rel_path >= ? AND rel_path < ?")) {
      ps.setString(1, folderId);
      ps.setString(2, prefix);
      ps.setString(3, prefix + MAX_CHAR);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String rest = rs.getString(1).substring(prefix.length());
          int slash = rest.indexOf('/');
          if (slash < 0) {
            direct++;
          } else if (dirs.size() < MAX_DIRS) {
            dirs.add(rest.substring(0, slash));
          }
        }
      }
    }
    return io.tonearm.proto.v1.DirectoryList.newBuilder()
        .setDir(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1))
        .addAllDirs(dirs)
        .setTrackCount(direct)
        .build();
  }

  /** The artwork id of a track or album; empty when it has none or does not exist. */
  static Optional<String> artworkOf(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT artwork_id FROM " + table + " WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static Optional<String> artworkMime(Connection c, String artworkId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT mime FROM artwork WHERE id = ?")) {
      ps.setString(1, artworkId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Page page(String key, String id) {
    return Page.newBuilder().setNextCursor(new Cursor(key, id).encode()).build();
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }
}
