package io.tonearm.daemon.library;

import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.MusicBrainzIds;
import io.tonearm.proto.v1.ReplayGainTags;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Builds library protos from stored rows: the one place that knows both. */
final class LibraryProtos {
  private LibraryProtos() {}

  /** Columns {@link #track} reads, in a SELECT on table alias {@code t}. */
  static final String TRACK_COLUMNS =
      "t.id, t.folder_id, t.rel_path, t.title, t.artist, t.album, t.album_artist, t.album_id,"
          + " t.artist_id, t.track_no, t.track_total, t.disc_no, t.disc_total, t.year, t.genre,"
          + " t.duration_ms, t.sample_rate, t.channels, t.bitrate, t.codec, t.rg_track_gain,"
          + " t.rg_track_peak, t.rg_album_gain, t.rg_album_peak, t.mb_recording,"
          + " t.mb_release_track, t.mb_release, t.mb_artist, t.mb_release_artist,"
          + " length(t.lyrics) > 0, t.artwork_id, t.size, t.mtime_ms, t.bits, t.date, t.path,"
          + " t.sort_key";

  /** The track at the cursor of a result set selecting {@link #TRACK_COLUMNS}. */
  static LibraryTrack track(ResultSet rs) throws SQLException {
    LibraryTrack.Builder b =
        LibraryTrack.newBuilder()
            .setId(rs.getString(1))
            .setFolderId(rs.getString(2))
            .setPath(rs.getString(3))
            .setTitle(rs.getString(4))
            .setArtist(rs.getString(5))
            .setAlbum(rs.getString(6))
            .setAlbumArtist(rs.getString(7))
            .setAlbumId(rs.getString(8))
            .setArtistId(rs.getString(9))
            .setTrackNumber(rs.getInt(10))
            .setTrackTotal(rs.getInt(11))
            .setDiscNumber(rs.getInt(12))
            .setDiscTotal(rs.getInt(13))
            .setYear(rs.getInt(14))
            .setGenre(rs.getString(15))
            .setDurationMs(rs.getLong(16))
            .setSampleRate(rs.getInt(17))
            .setChannels(rs.getInt(18))
            .setBitRateKbps(rs.getInt(19))
            .setCodec(rs.getString(20));
    ReplayGainTags.Builder rg = ReplayGainTags.newBuilder();
    double v = rs.getDouble(21);
    if (!rs.wasNull()) {
      rg.setHasTrackGain(true).setTrackGainDb(v);
    }
    v = rs.getDouble(22);
    if (!rs.wasNull()) {
      rg.setHasTrackPeak(true).setTrackPeak(v);
    }
    v = rs.getDouble(23);
    if (!rs.wasNull()) {
      rg.setHasAlbumGain(true).setAlbumGainDb(v);
    }
    v = rs.getDouble(24);
    if (!rs.wasNull()) {
      rg.setHasAlbumPeak(true).setAlbumPeak(v);
    }
    replayGainIfAny(b, rg);
    b.setMusicbrainz(
        MusicBrainzIds.newBuilder()
            .setRecordingId(rs.getString(25))
            .setReleaseTrackId(rs.getString(26))
            .setReleaseId(rs.getString(27))
            .setArtistId(rs.getString(28))
            .setReleaseArtistId(rs.getString(29)));
    b.setHasLyrics(rs.getBoolean(30));
    String art = rs.getString(31);
    b.setArtworkId(art == null ? "" : art);
    b.setSizeBytes(rs.getLong(32));
    b.setModifiedMs(rs.getLong(33));
    b.setBitsPerSample(rs.getInt(34));
    b.setDate(rs.getString(35));
    return b.build();
  }

  /**
   * The track a row written from {@code s} reads back as through {@link #track(ResultSet)}, built
   * without the read: a scan's event for a batch it just wrote. Where SQLite changes a value on its
   * way through it is changed here the same way (a gain of -0.0 stored in a REAL column reads back
   * as 0.0; {@code length(lyrics)} counts the characters before the first NUL), so the event is the
   * one a re-read would give ({@code LibraryProtosTest}).
   */
  static LibraryTrack track(StoredTrack s) {
    TrackTags t = s.tags();
    LibraryTrack.Builder b =
        LibraryTrack.newBuilder()
            .setId(s.id())
            .setFolderId(s.folderId())
            .setPath(s.relPath())
            .setTitle(t.title())
            .setArtist(t.artist())
            .setAlbum(t.album())
            .setAlbumArtist(t.albumArtist())
            .setAlbumId(s.albumId())
            .setArtistId(s.artistId())
            .setTrackNumber(t.trackNumber())
            .setTrackTotal(t.trackTotal())
            .setDiscNumber(t.discNumber())
            .setDiscTotal(t.discTotal())
            .setYear(t.year())
            .setGenre(t.genre())
            .setDurationMs(t.durationMs())
            .setSampleRate(t.sampleRate())
            .setChannels(t.channels())
            .setBitRateKbps(t.bitRateKbps())
            .setCodec(t.codec());
    ReplayGainTags.Builder rg = ReplayGainTags.newBuilder();
    if (!Double.isNaN(t.trackGainDb())) {
      rg.setHasTrackGain(true).setTrackGainDb(t.trackGainDb() + 0.0);
    }
    if (!Double.isNaN(t.trackPeak())) {
      rg.setHasTrackPeak(true).setTrackPeak(t.trackPeak() + 0.0);
    }
    if (!Double.isNaN(t.albumGainDb())) {
      rg.setHasAlbumGain(true).setAlbumGainDb(t.albumGainDb() + 0.0);
    }
    if (!Double.isNaN(t.albumPeak())) {
      rg.setHasAlbumPeak(true).setAlbumPeak(t.albumPeak() + 0.0);
    }
    replayGainIfAny(b, rg);
    b.setMusicbrainz(
        MusicBrainzIds.newBuilder()
            .setRecordingId(t.mbRecordingId())
            .setReleaseTrackId(t.mbReleaseTrackId())
            .setReleaseId(t.mbReleaseId())
            .setArtistId(t.mbArtistId())
            .setReleaseArtistId(t.mbReleaseArtistId()));
    String lyrics = t.lyrics();
    b.setHasLyrics(!lyrics.isEmpty() && lyrics.charAt(0) != '\0');
    b.setArtworkId(s.artworkId() == null ? "" : s.artworkId());
    b.setSizeBytes(s.size());
    b.setModifiedMs(s.mtimeMs());
    b.setBitsPerSample(t.bitsPerSample());
    b.setDate(t.date());
    return b.build();
  }

  /** Sets the track's ReplayGain values when it has any (as stored or as tagged alike). */
  private static void replayGainIfAny(LibraryTrack.Builder b, ReplayGainTags.Builder rg) {
    if (rg.getHasTrackGain()
        || rg.getHasTrackPeak()
        || rg.getHasAlbumGain()
        || rg.getHasAlbumPeak()) {
      b.setReplayGain(rg);
    }
  }
}
