package io.tonearm.daemon.library;

import io.tonearm.daemon.dsp.TrackGain;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the player may ask of the library: a track by id or by file, with the tags playback needs.
 * Implemented by the library; an empty catalog is used before the library is wired in.
 *
 * <p>Thread-safe; may do a small blocking read of the store, so call it off the Netty event loops.
 */
public interface TrackCatalog {

  /**
   * A track as the player needs it. Strings are empty, never null, when unknown; numbers 0.
   *
   * @param albumId the library's album id (adjacent tracks of one album are joined gaplessly)
   * @param mixrampStart the MIXRAMP_START tag: "dB seconds" pairs, ';'-separated, by rising dB
   * @param mixrampEnd the MIXRAMP_END tag, the same form, seconds counted back from the end
   */
  record CatalogTrack(
      String trackId,
      Path file,
      String title,
      String artist,
      String album,
      long durationMs,
      TrackGain gain,
      String albumId,
      int discNumber,
      int trackNumber,
      String mixrampStart,
      String mixrampEnd) {

    /** A track without album position or MixRamp tags. */
    public CatalogTrack(
        String trackId,
        Path file,
        String title,
        String artist,
        String album,
        long durationMs,
        TrackGain gain) {
      this(trackId, file, title, artist, album, durationMs, gain, "", 0, 0, "", "");
    }
  }

  /** The track with this library id. */
  Optional<CatalogTrack> byId(String trackId);

  /**
   * The tracks with these library ids, by id; ids that name no track are missing from the map. One
   * store read per few hundred ids.
   */
  default Map<String, CatalogTrack> byIds(Collection<String> trackIds) {
    Map<String, CatalogTrack> out = new HashMap<>();
    for (String id : trackIds) {
      byId(id).ifPresent(t -> out.put(id, t));
    }
    return out;
  }

  /** The track stored for this absolute, real file path. */
  Optional<CatalogTrack> byFile(Path file);

  /**
   * The tracks stored for these absolute, real file paths, by path (as given, normalized); files
   * the library does not know are missing from the map. One store read per few hundred files.
   */
  default Map<Path, CatalogTrack> byFiles(Collection<Path> files) {
    Map<Path, CatalogTrack> out = new HashMap<>();
    for (Path f : files) {
      byFile(f).ifPresent(t -> out.put(f.normalize(), t));
    }
    return out;
  }

  /**
   * The library's music folders as real paths: the folders whose files may be played. Cheap (no
   * store read); an empty list for a catalog without folders.
   */
  default List<Path> folders() {
    return List.of();
  }

  /** A catalog that knows no tracks. */
  TrackCatalog EMPTY =
      new TrackCatalog() {
        @Override
        public Optional<CatalogTrack> byId(String trackId) {
          return Optional.empty();
        }

        @Override
        public Optional<CatalogTrack> byFile(Path file) {
          return Optional.empty();
        }
      };
}
