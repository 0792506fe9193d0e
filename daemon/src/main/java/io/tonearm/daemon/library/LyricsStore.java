package io.tonearm.daemon.library;

/**
 * What the lyrics topic asks of the library: a track's lyrics and its lyrics offset. Implemented by
 * {@link TrackLyrics}; tests give an in-memory one. Thread-safe; may block on I/O.
 */
public interface LyricsStore {

  /**
   * The lyrics of track {@code trackId}; {@link TimedLyrics#NONE} when it has none or is unknown.
   */
  TimedLyrics lyricsOf(String trackId);

  /** The track's offset in ms (0 when never set). */
  long offsetMs(String trackId);

  /**
   * Sets and keeps the track's offset.
   *
   * @throws io.tonearm.daemon.errors.DomainException 404 for an unknown track, 422 out of range
   */
  void setOffsetMs(String trackId, long offsetMs);
}
