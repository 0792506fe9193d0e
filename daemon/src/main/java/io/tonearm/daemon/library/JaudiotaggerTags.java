package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * Reads a file with jaudiotagger: MP3, MP4/M4A, WAV, AIFF, WMA, and the FLAC files {@link FlacTags}
 * leaves to it. Stateless and thread-safe; blocking file I/O. Kept apart from {@link TagReader} so
 * jaudiotagger's classes load only when a file needs them.
 */
final class JaudiotaggerTags {
  /** Kept so jaudiotagger's loggers stay at WARNING (a logger without a reference may be GC'd). */
  private static final Logger JAUDIOTAGGER_LOG = Logger.getLogger("org.jaudiotagger");

  static {
    JAUDIOTAGGER_LOG.setLevel(Level.WARNING);
  }

  private JaudiotaggerTags() {}

  /**
   * Reads {@code file}, whose lower-case extension is {@code ext}.
   *
   * @throws IOException with a one-line reason when the file cannot be read as audio
   */
  static TrackTags read(Path file, String ext, String fallbackTitle) throws IOException {
    AudioFile af;
    try {
      af = AudioFileIO.read(file.toFile());
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      // jaudiotagger throws a variety of checked and unchecked exceptions on hostile input.
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("unreadable " + ext + " file: " + TagReader.firstLine(why), e);
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
      TagReader.fields(new Source(tag), f);
      try {
        Artwork art = tag.getFirstArtwork();
        if (art != null && art.getBinaryData() != null && art.getBinaryData().length > 0) {
          f.picture = new TrackTags.Picture(art.getBinaryData(), String.valueOf(art.getMimeType()));
        }
      } catch (RuntimeException e) {
        f.picture = null; // a malformed picture frame costs the picture, not the track
      }
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
    boolean lossless =
        switch (f.codec) {
          case "flac", "wav", "aiff", "alac" -> true;
          default -> false;
        };
    f.bitsPerSample = lossless ? Math.max(0, Math.min(64, h.getBitsPerSample())) : 0;
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

  /** A jaudiotagger tag as a {@link TagSource}. */
  private record Source(Tag tag) implements TagSource {
    @Override
    public String first(Key key) {
      try {
        String v = tag.getFirst(FieldKey.valueOf(key.name()));
        return v == null ? "" : v;
      } catch (RuntimeException e) {
        return ""; // the format has no such field (KeyNotFoundException, UnsupportedOperation...)
      }
    }

    @Override
    public String custom(String name) {
      Tag t = tag;
      try {
        if (t instanceof Id3SupportingTag s && s.getID3Tag() != null) {
          t = s.getID3Tag();
        }
        if (t instanceof AbstractID3v2Tag id3) {
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
        if (t instanceof org.jaudiotagger.tag.mp4.Mp4Tag) {
          String v = t.getFirst("----:com.apple.iTunes:" + name.toLowerCase(Locale.ROOT));
          return v == null || v.isEmpty() ? t.getFirst("----:com.apple.iTunes:" + name) : v;
        }
        String v = t.getFirst(name);
        return v == null ? "" : v;
      } catch (RuntimeException e) {
        return "";
      }
    }
  }
}
