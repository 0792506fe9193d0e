package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.AudioHeader;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagField;
import org.jaudiotagger.tag.id3.AbstractID3v2Frame;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.Id3SupportingTag;
import org.jaudiotagger.tag.id3.framebody.FrameBodyTXXX;
import org.jaudiotagger.tag.images.Artwork;

/**
 * Reads one file's tags and audio header: jaudiotagger for MP3, FLAC, MP4/M4A, WAV, AIFF, WMA;
 * {@link OggReader} for Ogg Vorbis and Opus. Stateless and thread-safe; blocking file I/O.
 */
final class TagReader {
  /** File extensions the library scans (lower case). */
  static final Set<String> EXTENSIONS =
      Set.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "wav", "aif", "aiff", "wma");

  /** Kept so jaudiotagger's loggers stay at WARNING (a logger without a reference may be GC'd). */
  private static final Logger JAUDIOTAGGER_LOG = Logger.getLogger("org.jaudiotagger");

  static {
    JAUDIOTAGGER_LOG.setLevel(Level.WARNING);
  }

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
    AudioFile af;
    try {
      af = AudioFileIO.read(file.toFile());
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      // jaudiotagger throws a variety of checked and unchecked exceptions on hostile input.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("unreadable " + ext + " file: " + firstLine(why), e);
    }
    TagFields f = new TagFields();
    header(af.getAudioHeader(), ext, f);
    if (ext.equals("wav")) {
      long held = WavLength.durationMs(file); // the header's data size may claim up to 4 GiB
      if (held >= 0) {
        f.durationMs = held;
      }
    }
    Tag tag = af.getTag();
    if (tag != null) {
      tags(tag, f);
    }
    return f.build(fallbackTitle);
  }

  private static void header(AudioHeader h, String ext, TagFields f) throws IOException {
    if (h == null) {
      throw new IOException("unreadable " + ext + " file: no audio header");
    }
    double secs = h.getPreciseTrackLength();
    f.durationMs = Double.isFinite(secs) && secs > 0 ? Math.round(secs * 1000) : 0;
    f.sampleRate = h.getSampleRateAsNumber();
    f.channels = channels(String.valueOf(h.getChannels()));
    f.bitRateKbps = (int) Math.min(Integer.MAX_VALUE, Math.max(0, h.getBitRateAsNumber()));
    String enc = String.valueOf(h.getEncodingType()).toLowerCase(Locale.ROOT);
    f.codec =
        switch (ext) {
          case "mp3" -> "mp3";
          case "flac" -> "flac";
          case "ogg", "oga" -> "vorbis";
          case "m4a", "mp4" -> enc.contains("alac") ? "alac" : "aac";
          case "wav" -> "wav";
          case "aif", "aiff" -> "aiff";
          default -> ext;
        };
  }

  /** "2", "Mono", "Joint Stereo"...: MP3 headers name the mode instead of counting. */
  private static int channels(String s) {
    int n = TagFields.number(s);
    if (n > 0) {
      return n;
    }
    String l = s.toLowerCase(Locale.ROOT);
    return l.contains("mono") ? 1 : l.contains("stereo") || l.contains("dual") ? 2 : 0;
  }

  private static void tags(Tag tag, TagFields f) {
    f.title = text(tag, FieldKey.TITLE);
    f.artist = text(tag, FieldKey.ARTIST);
    f.album = text(tag, FieldKey.ALBUM);
    f.albumArtist = text(tag, FieldKey.ALBUM_ARTIST);
    f.trackNumber = TagFields.number(text(tag, FieldKey.TRACK));
    f.trackTotal = TagFields.number(text(tag, FieldKey.TRACK_TOTAL));
    f.discNumber = TagFields.number(text(tag, FieldKey.DISC_NO));
    f.discTotal = TagFields.number(text(tag, FieldKey.DISC_TOTAL));
    f.year = TagFields.number(text(tag, FieldKey.YEAR));
    f.genre = text(tag, FieldKey.GENRE);
    f.mbRecordingId = text(tag, FieldKey.MUSICBRAINZ_TRACK_ID);
    f.mbReleaseTrackId = text(tag, FieldKey.MUSICBRAINZ_RELEASE_TRACK_ID);
    f.mbReleaseId = text(tag, FieldKey.MUSICBRAINZ_RELEASEID);
    f.mbArtistId = text(tag, FieldKey.MUSICBRAINZ_ARTISTID);
    f.mbReleaseArtistId = text(tag, FieldKey.MUSICBRAINZ_RELEASEARTISTID);
    f.lyrics = TagFields.clean(raw(tag, FieldKey.LYRICS), TagFields.MAX_LYRICS);
    for (String rg : RG_NAMES) {
      f.vorbis(rg, custom(tag, rg));
    }
    f.vorbis("R128_TRACK_GAIN", custom(tag, "R128_TRACK_GAIN"));
    f.vorbis("R128_ALBUM_GAIN", custom(tag, "R128_ALBUM_GAIN"));
    try {
      Artwork art = tag.getFirstArtwork();
      if (art != null && art.getBinaryData() != null && art.getBinaryData().length > 0) {
        f.picture = new TrackTags.Picture(art.getBinaryData(), String.valueOf(art.getMimeType()));
      }
    } catch (RuntimeException e) {
      f.picture = null; // a malformed picture frame costs the picture, not the track
    }
  }

  private static String text(Tag tag, FieldKey key) {
    return TagFields.clean(raw(tag, key), TagFields.MAX_TEXT);
  }

  private static String raw(Tag tag, FieldKey key) {
    try {
      String v = tag.getFirst(key);
      return v == null ? "" : v;
    } catch (RuntimeException e) {
      return ""; // the format has no such field (KeyNotFoundException, UnsupportedOperation...)
    }
  }

  /** A free-form field (ID3 TXXX description, Vorbis name, iTunes "----" atom); "" if absent. */
  private static String custom(Tag tag, String name) {
    try {
      if (tag instanceof Id3SupportingTag s && s.getID3Tag() != null) {
        tag = s.getID3Tag();
      }
      if (tag instanceof AbstractID3v2Tag id3) {
        List<TagField> frames = id3.getFields("TXXX");
        for (TagField field : frames) {
          if (field instanceof AbstractID3v2Frame frame
              && frame.getBody() instanceof FrameBodyTXXX body
              && name.equalsIgnoreCase(body.getDescription())) {
            return body.getFirstTextValue();
          }
        }
        return "";
      }
      if (tag instanceof org.jaudiotagger.tag.mp4.Mp4Tag) {
        String v = tag.getFirst("----:com.apple.iTunes:" + name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? tag.getFirst("----:com.apple.iTunes:" + name) : v;
      }
      String v = tag.getFirst(name);
      return v == null ? "" : v;
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
