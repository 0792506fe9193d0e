package io.tonearm.daemon.library;

import io.tonearm.daemon.errors.DomainException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Lyrics of library tracks as typed calls: a track's lyrics from its sidecar or tags ({@link
 * LyricsFinder}) and its lyrics offset, kept in the library database (table {@code lyrics_offsets})
 * so that it survives restarts and rescans. Thread-safe; every method blocks on file or database
 * I/O, so call it off the event loops.
 */
public final class TrackLyrics implements LyricsStore {

  /** The largest offset either way, ms. */
  public static final long MAX_OFFSET_MS = 60_000;

  private final Library library;

  public TrackLyrics(Library library) {
    this.library = library;
  }

  @Override
  public TimedLyrics lyricsOf(String trackId) {
    return library
        .catalog()
        .byId(trackId)
        .map(t -> LyricsFinder.find(t.file()))
        .orElse(TimedLyrics.NONE);
  }

  @Override
  public long offsetMs(String trackId) {
    try (PreparedStatement ps =
        library
            .db()
            .reader()
            .prepareStatement("SELECT offset_ms FROM lyrics_offsets WHERE track_id = ?")) {
      ps.setString(1, trackId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      return 0;
    }
  }

  /**
   * Sets the track's offset; 404 for a track the library does not know, 422 past ±{@value
   * #MAX_OFFSET_MS} ms.
   */
  @Override
  public void setOffsetMs(String trackId, long offsetMs) {
    if (offsetMs < -MAX_OFFSET_MS || offsetMs > MAX_OFFSET_MS) {
      throw DomainException.outOfRange("offset_ms", offsetMs, "-60000 to 60000");
    }
    Optional<?> t = library.catalog().byId(trackId);
    if (t.isEmpty()) {
      throw DomainException.notFound("track", Folders.clip(trackId));
    }
    try {
      library
          .db()
          .write(
              c -> {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        offsetMs == 0
                            ? "DELETE FROM lyrics_offsets WHERE track_id = ?"
                            : "INSERT INTO lyrics_offsets(track_id, offset_ms) VALUES (?, ?)"
                                + " ON CONFLICT(track_id) DO UPDATE SET offset_ms = excluded.offset_ms")) {
                  ps.setString(1, trackId);
                  if (offsetMs != 0) {
                    ps.setLong(2, offsetMs);
                  }
                  return ps.executeUpdate();
                }
              });
    } catch (SQLException e) {
      throw new DomainException(
          DomainException.Kind.UNAVAILABLE, "unavailable", "library database: " + e.getMessage());
    }
  }
}
