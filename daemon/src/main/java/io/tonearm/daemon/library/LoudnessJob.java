package io.tonearm.daemon.library;

import io.tonearm.daemon.analysis.LoudnessAnalysis;
import io.tonearm.daemon.analysis.MixRampProfile;
import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StoppableDecoder;
import io.tonearm.daemon.jobs.JobBody;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.proto.v1.TrackLoudness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A loudness analysis job: measures tracks album by album (integrated loudness, loudness range,
 * true peak, ReplayGain 2.0 track and album gain and peak) and stores the results, which the
 * player's catalog uses where a file has no ReplayGain tags. A track that cannot be decoded is an
 * error of the job, not its end; its album gets no album gain.
 */
final class LoudnessJob implements JobBody {

  /** Most tracks one request may name. */
  static final int MAX_TRACKS = 10_000;

  /**
   * @param albumId the album measured together: the album's id, or "track:" and the track's id for
   *     a track without an album tag
   */
  private record Target(String id, String path, String albumId, long size, long mtime) {}

  private final LibraryDb db;
  private final List<String> trackIds;
  private final boolean missingOnly;
  private final Consumer<List<Path>> measured;

  /**
   * @param trackIds tracks to measure with their whole albums; empty means the whole library
   * @param measured told the files of each album's stored results, after the commit
   */
  LoudnessJob(
      LibraryDb db, List<String> trackIds, boolean missingOnly, Consumer<List<Path>> measured) {
    this.db = db;
    this.measured = measured;
    this.trackIds = List.copyOf(trackIds);
    this.missingOnly = missingOnly;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    Map<String, List<Target>> albums = targets();
    ctx.total(albums.values().stream().mapToLong(List::size).sum());
    for (List<Target> album : albums.values()) {
      List<LoudnessAnalysis.Result> results = new ArrayList<>();
      List<Target> measured = new ArrayList<>();
      List<MixRampProfile> profiles = new ArrayList<>();
      for (Target t : album) {
        ctx.checkCancelled();
        try (Decoder d = new StoppableDecoder(Decoders.open(Path.of(t.path)), ctx::cancelled)) {
          AudioFormat f = d.format();
          LoudnessAnalysis.Track track = new LoudnessAnalysis.Track(f.sampleRate(), f.channels());
          // The profile reads the track's meter: the track is K-weighted once.
          MixRampProfile ramps = MixRampProfile.following(track.meter(), f.sampleRate());
          float[] buf = new float[4096 * f.channels()];
          for (int n; (n = d.read(buf, 0, 4096)) > 0; ) {
            track.accept(buf, 0, n); // makes the samples finite for the profile
            ramps.accept(buf, 0, n);
          }
          results.add(track.result());
          profiles.add(ramps);
          measured.add(t);
        } catch (Exception e) {
          ctx.checkCancelled(); // stopped mid-file by a cancel: nothing of this album is stored
          ctx.error(t.path, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        ctx.advance(Path.of(t.path).getFileName().toString());
      }
      boolean whole = measured.size() == album.size() && !measured.isEmpty();
      LoudnessAnalysis.Result albumResult = whole ? LoudnessAnalysis.album(results) : null;
      store(measured, results, profiles, albumResult);
    }
  }

  private void store(
      List<Target> tracks,
      List<LoudnessAnalysis.Result> results,
      List<MixRampProfile> profiles,
      LoudnessAnalysis.Result album)
      throws SQLException {
    long now = System.currentTimeMillis();
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO loudness(track_id, size, mtime_ms, integrated_lufs,"
                      + " lra_lu, true_peak_dbtp, track_gain_db, track_peak, album_gain_db,"
                      + " album_peak, analyzed_ms, mixramp_start, mixramp_end)"
                      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (int i = 0; i < tracks.size(); i++) {
              Target t = tracks.get(i);
              LoudnessAnalysis.Result r = results.get(i);
              ps.setString(1, t.id);
              ps.setLong(2, t.size);
              ps.setLong(3, t.mtime);
              ps.setDouble(4, finite(r.integratedLufs(), -150));
              ps.setDouble(5, finite(r.loudnessRangeLu(), 0));
              ps.setDouble(6, finite(r.truePeakDbtp(), -150));
              ps.setDouble(7, r.replayGainDb());
              ps.setDouble(8, finite(r.replayGainPeak(), 0));
              if (album != null) {
                ps.setDouble(9, album.replayGainDb());
                ps.setDouble(10, finite(album.replayGainPeak(), 0));
              } else {
                ps.setNull(9, java.sql.Types.REAL);
                ps.setNull(10, java.sql.Types.REAL);
              }
              ps.setLong(11, now);
              ps.setString(12, profiles.get(i).start());
              ps.setString(13, profiles.get(i).end());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
    List<Path> files = new ArrayList<>(tracks.size());
    for (Target t : tracks) {
      files.add(Path.of(t.path));
    }
    measured.accept(files);
  }

  private static double finite(double v, double fallback) {
    return Double.isFinite(v) ? v : fallback;
  }

  /** The tracks to measure, grouped by album (the whole album of every named track). */
  private Map<String, List<Target>> targets() throws SQLException {
    // A track without an album tag is an album of its own: untagged files from anywhere (other
    // folders, other rates) share an empty title, not an album.
    String ids = "?,".repeat(Math.max(0, trackIds.size() - 1)) + "?";
    String where =
        trackIds.isEmpty()
            ? "1 = 1"
            : "t.id IN ("
                + ids
                + ") OR (t.album <> '' AND t.album_id IN (SELECT album_id FROM tracks"
                + " WHERE album <> '' AND id IN ("
                + ids
                + ")))";
    String sql =
        "SELECT t.id, t.path, CASE WHEN t.album = '' THEN 'track:' || t.id ELSE t.album_id END"
            + " AS grp, t.size, t.mtime_ms,"
            + " (l.track_id IS NOT NULL AND l.size = t.size AND l.mtime_ms = t.mtime_ms"
            + " AND l.album_gain_db IS NOT NULL)"
            + " FROM tracks t LEFT JOIN loudness l ON l.track_id = t.id WHERE "
            + where
            + " ORDER BY grp, t.sort_key";
    Map<String, List<Target>> albums = new LinkedHashMap<>();
    Map<String, Boolean> albumDone = new LinkedHashMap<>();
    Connection c = db.reader();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < trackIds.size(); i++) {
        ps.setString(i + 1, trackIds.get(i));
        ps.setString(trackIds.size() + i + 1, trackIds.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Target t =
              new Target(
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
          albums.computeIfAbsent(t.albumId, k -> new ArrayList<>()).add(t);
          albumDone.merge(t.albumId, rs.getBoolean(6), Boolean::logicalAnd);
        }
      }
    }
    if (missingOnly) {
      albumDone.forEach(
          (album, done) -> {
            if (done) {
              albums.remove(album);
            }
          });
    }
    return albums;
  }

  /** The stored measurement of a track, if it is current for the file as scanned. */
  static Optional<TrackLoudness> stored(Connection c, String trackId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT l.integrated_lufs, l.lra_lu, l.true_peak_dbtp, l.track_gain_db, l.track_peak,"
                + " l.album_gain_db, l.album_peak, l.analyzed_ms FROM loudness l JOIN tracks t"
                + " ON t.id = l.track_id AND t.size = l.size AND t.mtime_ms = l.mtime_ms"
                + " WHERE l.track_id = ?")) {
      ps.setString(1, trackId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        TrackLoudness.Builder b =
            TrackLoudness.newBuilder()
                .setTrackId(trackId)
                .setIntegratedLufs(rs.getDouble(1))
                .setLoudnessRangeLu(rs.getDouble(2))
                .setTruePeakDbtp(rs.getDouble(3))
                .setTrackGainDb(rs.getDouble(4))
                .setTrackPeak(rs.getDouble(5))
                .setAnalyzedMs(rs.getLong(8));
        double albumGain = rs.getDouble(6);
        if (!rs.wasNull()) {
          b.setAlbumGainDb(albumGain).setAlbumPeak(rs.getDouble(7));
        }
        return Optional.of(b.build());
      }
    }
  }
}
