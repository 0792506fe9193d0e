package io.tonearm.daemon.library;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StemSet;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The tags of a stem folder ({@code Song.stems/}): those of its first stem whose tags can be read,
 * titled after the folder when that stem has no title of its own, with the set's length, rate and
 * codec "stems" from opening it as the player will (so a set that cannot play, such as a stem whose
 * rate cannot be converted to the set's, is a scan error here rather than a surprise at play time).
 * Stateless; blocking I/O.
 */
final class StemTags {

  /** The suffix of a stem folder's name. */
  static final String SUFFIX = ".stems";

  private StemTags() {}

  /** True for a directory name the library takes as a stem set. */
  static boolean isStemFolder(String lowerName) {
    return lowerName.endsWith(SUFFIX) && lowerName.length() > SUFFIX.length();
  }

  static TrackTags read(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    String title = name.substring(0, name.length() - SUFFIX.length());
    long durationMs;
    int rate;
    try (Decoder d = Decoders.open(dir)) {
      durationMs = Math.max(0, d.format().durationMicros() / 1000);
      rate = d.format().sampleRate();
    }
    TrackTags t = null;
    for (StemSet.Stem s : StemSet.list(dir)) {
      try {
        t = TagReader.read(s.file());
        String file = s.file().getFileName().toString();
        String base = file.substring(0, Math.max(0, file.lastIndexOf('.')));
        if (t.title().equals(base)) {
          t = null; // untitled: the stem's file name is no title for the song
          continue;
        }
        break;
      } catch (IOException e) {
        // a stem whose tags cannot be read (or of a format jaudiotagger does not know): next one
      }
    }
    String codec = "stems";
    if (t == null) {
      return new TagFields().build(title).withAudio(durationMs, rate, 2, codec);
    }
    return t.withAudio(durationMs, rate, 2, codec);
  }
}
