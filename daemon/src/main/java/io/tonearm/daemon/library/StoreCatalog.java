package io.tonearm.daemon.library;

import io.tonearm.daemon.dsp.TrackGain;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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
  private final Supplier<List<Path>> folders;

  StoreCatalog(LibraryDb db, Supplier<List<Path>> folders) {
    this.db = db;
    this.folders = folders;
  }

  @Override
  public List<Path> folders() {
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

  /** Up to {@value #BATCH} ids per statement. */
  private static final int BATCH = 500;

  @Override
  public Map<String, CatalogTrack> byIds(Collection<String> trackIds) {
    List<String> valid = new ArrayList<>();
    for (String id : trackIds) {
      if (Ids.valid(id)) {
        valid.add(id);
      }
    }
    Map<String, CatalogTrack> out = new HashMap<>();
    for (int i = 0; i < valid.size(); i += BATCH) {
      List<String> part = valid.subList(i, Math.min(valid.size(), i + BATCH));
      for (CatalogTrack t : query("t.id IN (" + "?,".repeat(part.size() - 1) + "?)", part)) {
        out.put(t.trackId(), t);
      }
    }
    return out;
  }

  @Override
  public Map<Path, CatalogTrack> byFiles(Collection<Path> files) {
    List<String> paths = new ArrayList<>();
    for (Path f : files) {
      if (f.isAbsolute()) {
        paths.add(f.normalize().toString());
      }
    }
    Map<Path, CatalogTrack> out = new HashMap<>();
    for (int i = 0; i < paths.size(); i += BATCH) {
      List<String> part = paths.subList(i, Math.min(paths.size(), i + BATCH));
      for (CatalogTrack t : query("t.path IN (" + "?,".repeat(part.size() - 1) + "?)", part)) {
        out.put(t.file(), t);
      }
    }
    return out;
  }

  private Optional<CatalogTrack> query(String where, String arg) {
    List<CatalogTrack> found = query(where, List.of(arg));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private List<CatalogTrack> query(String where, List<String> args) {
    try (PreparedStatement ps = db.reader().prepareStatement(COLUMNS + where)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      List<CatalogTrack> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
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
      }
      return out;
    } catch (SQLException e) {
      log.warn("catalog lookup failed: {}", e.getMessage());
      return List.of();
    }
  }

  private static double real(ResultSet rs, int col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? Double.NaN : v;
  }
}
