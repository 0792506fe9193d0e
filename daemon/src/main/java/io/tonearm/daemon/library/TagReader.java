package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one file's tags and audio header: {@link FlacTags} for FLAC (jaudiotagger for the FLAC
 * files it leaves), {@link OggReader} for Ogg Vorbis and Opus, {@link JaudiotaggerTags} for MP3,
 * MP4/M4A, WAV, AIFF, WMA. Stateless and thread-safe; blocking file I/O.
 */
final class TagReader {
  /** File extensions the library scans (lower case). */
  static final Set<String> EXTENSIONS =
      Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "wav", "aif", "aiff", "wma");

  private static final String[] RG_NAMES = {
    "REPLAYGAIN_TRACK_GAIN",
    "REPLAYGAIN_TRACK_PEAK",
    "REPLAYGAIN_ALBUM_GAIN",
    "REPLAYGAIN_ALBUM_PEAK",
    "MIXRAMP_START",
    "MIXRAMP_END"
  };

  private TagReader() {}

  /** The lower-case extension of a file name, or "" when it has none. */
  static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException with a one-line reason when the file cannot be read as audio
   */
  static TrackTags read(Path file) throws IOException {
    if (java.nio.file.Files.isDirectory(file)) {
      return StemTags.read(file);
    }
    String name = file.getFileName().toString();
    String ext = extension(name);
    String fallbackTitle = name.substring(0, name.length() - ext.length() - 1);
    if (ext.equals("opus")) {
      return OggReader.read(file, fallbackTitle);
    }
    if (ext.equals("ogg") || ext.equals("oga")) {
      return OggReader.readVorbis(file, fallbackTitle);
    }
    if (ext.equals("flac")) {
      TrackTags plain = FlacTags.read(file, fallbackTitle);
      if (plain != null) {
        return plain;
      }
    }
    return JaudiotaggerTags.read(file, ext, fallbackTitle);
  }

  /** Fills {@code f}'s tag fields from {@code s}, cleaning them; the picture is the reader's. */
  static void fields(TagSource s, TagFields f) {
    f.title = text(s, TagSource.Key.TITLE);
    f.artist = text(s, TagSource.Key.ARTIST);
    f.album = text(s, TagSource.Key.ALBUM);
    f.albumArtist = text(s, TagSource.Key.ALBUM_ARTIST);
    f.trackNumber = TagFields.number(text(s, TagSource.Key.TRACK));
    f.trackTotal = TagFields.number(text(s, TagSource.Key.TRACK_TOTAL));
    f.discNumber = TagFields.number(text(s, TagSource.Key.DISC_NO));
    f.discTotal = TagFields.number(text(s, TagSource.Key.DISC_TOTAL));
    f.date(text(s, TagSource.Key.YEAR));
    f.genre = text(s, TagSource.Key.GENRE);
    f.mbRecordingId = text(s, TagSource.Key.MUSICBRAINZ_TRACK_ID);
    f.mbReleaseTrackId = text(s, TagSource.Key.MUSICBRAINZ_RELEASE_TRACK_ID);
    f.mbReleaseId = text(s, TagSource.Key.MUSICBRAINZ_RELEASEID);
    f.mbArtistId = text(s, TagSource.Key.MUSICBRAINZ_ARTISTID);
    f.mbReleaseArtistId = text(s, TagSource.Key.MUSICBRAINZ_RELEASEARTISTID);
    f.lyrics = TagFields.clean(s.first(TagSource.Key.LYRICS), TagFields.MAX_LYRICS);
    for (String rg : RG_NAMES) {
      f.vorbis(rg, s.custom(rg));
    }
    f.vorbis("R128_TRACK_GAIN", s.custom("R128_TRACK_GAIN"));
    f.vorbis("R128_ALBUM_GAIN", s.custom("R128_ALBUM_GAIN"));
  }

  private static String text(TagSource s, TagSource.Key key) {
    return TagFields.clean(s.first(key), TagFields.MAX_TEXT);
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
