package io.tonearm.daemon.player;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.dsp.TrackGain;
import io.tonearm.daemon.library.TrackCatalog;
import java.nio.file.Path;

/**
 * One entry of the play queue. Its id is stable and never reused; the format is learned when the
 * file is first opened. Owned by the player thread.
 */
final class QueueEntry {

  final long id;
  final Path file;
  final String relative;

  /** The library's data for the file; null until a scan catalogues it. */
  TrackCatalog.CatalogTrack track;

  AudioFormat format;

  /** 0 to 255: while shuffled, higher plays first among the entries still to come. */
  int priority;

  QueueEntry(long id, Path file, String relative, TrackCatalog.CatalogTrack track) {
    this.id = id;
    this.file = file;
    this.relative = relative;
    this.track = track;
  }

  String itemId() {
    return Long.toString(id);
  }

  /** Length in ms: from the opened file, else from the library, else 0. */
  long durationMs() {
    if (format != null && format.frames() >= 0) {
      return format.frames() * 1000 / format.sampleRate();
    }
    return track == null ? 0 : track.durationMs();
  }

  TrackGain gain() {
    return track == null ? TrackGain.NONE : track.gain();
  }
}
