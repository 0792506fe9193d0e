package io.tonearm.daemon.library;

import io.tonearm.daemon.dsp.TrackGain;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The player's view of the library: one indexed read per call on the calling thread's reader
 * connection. ReplayGain values come from the tags (R128 already converted to -18 LUFS); where a
 * tag is missing, from a loudness measurement of the same file (same size and mtime), if any; so
 * are the MixRamp values of a track without MixRamp tags (both tags are taken from one source).
 */
final class StoreCatalog implements TrackCatalog {
  private static final Logger log = LoggerFactory.getLogger(StoreCatalog.class);
  private static final String COLUMNS =
      "SELECT t.id, t.path, t.title, t.artist, t.album, t.duration_ms,"
          + " COALESCE(t.rg_track_gain, l.track_gain_db), COALESCE(t.rg_track_peak, l.track_peak),"
          + " COALESCE(t.rg_album_gain, l.album_gain_db), COALESCE(t.rg_album_peak, l.album_peak),"
          + " t.album_id, t.disc_no, t.track_no,"
          + " COALESCE(NULLIF(t.mixramp_start, ''), l.mixramp_start, ''),"
          + " COALESCE(NULLIF(t.mixramp_end, ''), l.mixramp_end, '')"
          + " FROM tracks t LEFT JOIN loudness l"
          + " ON l.track_id = t.id AND l.size = t.size AND l.mtime_ms = t.mtime_ms WHERE ";

  private final LibraryDb db;
  private final java.util.function.Supplier<java.util.List<Path>> folders;

  StoreCatalog(LibraryDb db, java.util.function.Supplier<java.util.List<Path>> folders) {
    this.db = db;
    this.folders = folders;
  }

  @Override
  public java.util.List<Path> folders() {
    return folders.get();
  }

  @Override
  public Optional<CatalogTrack> byId(String trackId) {
    return Ids.valid(trackId) ? query("t.id = ?", trackId) : Optional.empty();
  }

  @Override
  public Optional<CatalogTrack> byFile(Path file) {
    return file.isAbsolute() ? query("t.path = ?", file.normalize().toString()) : Optional.empty();
  }

  private Optional<CatalogTrack> query(String where, String arg) {
    try (PreparedStatement ps = db.reader().prepareStatement(COLUMNS + where)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new CatalogTrack(
                rs.getString(1),
                Path.of(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                new TrackGain(real(rs, 7), real(rs, 8), real(rs, 9), real(rs, 10)),
                rs.getString(11),
                rs.getInt(12),
                rs.getInt(13),
                rs.getString(14),
                rs.getString(15)));
      }
    } catch (SQLException e) {
      log.warn("catalog lookup failed: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static double real(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? Double.NaN : v;
  }
}
